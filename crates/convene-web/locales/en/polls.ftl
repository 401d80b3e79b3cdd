## polls

# Validation of polls and answers (keys used by the domain)
poll-error-questions = A poll needs at least one question (and at most 200).
poll-error-question-name = Each question needs its own short name (letters, digits, _ - .).
poll-error-label = Each question needs a text.
poll-error-choices = A choice question needs between 1 and 99 choices.
poll-error-scale = A scale needs a lowest value below its highest, at most 20 apart.
poll-error-keyword = The keyword must be one word of letters or digits, at most 20 characters.
poll-error-keyword-taken = Another poll in this space already uses this keyword.
poll-error-dates = The closing date must come after the opening date.
poll-error-timeout = The idle time-out must be between one minute and 30 days.
poll-error-margin-row = Each margin needs a demographic question, a category and a share between 0 and 1.
poll-error-margin-sum = The shares of each variable must add up to 1.
poll-error-invites = Make between 1 and 10,000 invitations at a time.
poll-error-empty = Please answer this question.
poll-error-choice = Please choose one of the options.
poll-error-number = Please enter a number.
poll-error-range = This number is outside the allowed range.
poll-error-constraint = This answer is not allowed here.
poll-closed = This poll is not taking answers.
