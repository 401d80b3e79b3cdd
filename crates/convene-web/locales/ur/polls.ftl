## polls

# Validation of polls and answers (keys used by the domain)
poll-error-questions = سروے میں کم از کم ایک سوال ہونا چاہیے (اور زیادہ سے زیادہ 200)۔
poll-error-question-name = ہر سوال کا اپنا مختصر نام ہونا چاہیے (حروف، ہندسے، _ - .)۔
poll-error-label = ہر سوال کی عبارت ہونی چاہیے۔
poll-error-choices = انتخابی سوال میں 1 سے 99 تک انتخاب ہونے چاہییں۔
poll-error-scale = پیمانے کی کم ترین قدر بلند ترین سے کم ہو، اور فرق زیادہ سے زیادہ 20 ہو۔
poll-error-keyword = کلیدی لفظ حروف یا ہندسوں کا ایک لفظ ہو، زیادہ سے زیادہ 20 حروف۔
poll-error-keyword-taken = اس جگہ کا ایک اور سروے یہ کلیدی لفظ پہلے سے استعمال کر رہا ہے۔
poll-error-dates = اختتامی تاریخ آغاز کی تاریخ کے بعد ہونی چاہیے۔
poll-error-timeout = غیر فعالی کی مہلت ایک منٹ سے 30 دن کے درمیان ہونی چاہیے۔
poll-error-margin-row = ہر تناسب کے لیے ایک آبادیاتی سوال، ایک زمرہ اور 0 سے 1 کے درمیان حصہ درکار ہے۔
poll-error-margin-sum = ہر متغیر کے حصوں کا مجموعہ 1 ہونا چاہیے۔
poll-error-invites = ایک وقت میں 1 سے 10,000 دعوت نامے بنائیں۔
poll-error-empty = براہ کرم اس سوال کا جواب دیں۔
poll-error-choice = براہ کرم دیے گئے انتخاب میں سے ایک چنیں۔
poll-error-number = براہ کرم ایک عدد درج کریں۔
poll-error-range = یہ عدد اجازت شدہ حد سے باہر ہے۔
poll-error-constraint = یہاں یہ جواب قابل قبول نہیں۔
poll-closed = یہ سروے اس وقت جواب قبول نہیں کر رہا۔
