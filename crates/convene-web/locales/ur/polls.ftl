## polls
