## opinion
opinion-title = آرا کی نقشہ سازی
opinion-intro = لوگ مختصر بیانات لکھتے ہیں اور ایک دوسرے کے بیانات پر رائے دیتے ہیں۔ کنوین رائے کے گروہ تلاش کرتا ہے، یہ کہ انہیں کیا تقسیم کرتا ہے اور تقسیم کے باوجود وہ کن باتوں پر متفق ہیں۔
opinion-none = ابھی کوئی گفتگو نہیں۔
opinion-new = نئی گفتگو شروع کریں
opinion-topic = موضوع
opinion-description = تفصیل
opinion-allow-statements = شرکاء بیانات شامل کر سکتے ہیں (جانچ کے بعد دکھائے جاتے ہیں)
opinion-is-open = رائے دہی کے لیے کھلی
opinion-closed = بند
opinion-closed-note = یہ گفتگو بند ہے: اب اس میں رائے نہیں دی جا سکتی۔
opinion-settings = ترتیبات
opinion-sms-keyword = ایس ایم ایس کلیدی لفظ
opinion-sms-keyword-hint = اختیاری۔ ایک لفظ جو لوگ ایس ایم ایس سے حصہ لینے کے لیے بھیجتے ہیں: ہر بیان ایک پیغام میں آتا ہے، اور وہ 1 متفق، 2 غیر متفق، 3 چھوڑیں بھیجتے ہیں۔ صرف عوام کے لیے کھلی گفتگو کے لیے۔
opinion-save = محفوظ کریں
opinion-results = نتائج
opinion-report = قابلِ طباعت رپورٹ
opinion-print-hint = یہ رپورٹ چھاپنے یا PDF کے طور پر محفوظ کرنے کے لیے اپنے براؤزر کی پرنٹ کمانڈ استعمال کریں۔
opinion-moderate-count = جانچ ({ $count } منتظر)
opinion-moderation = جانچ
opinion-vote-heading = آپ کی رائے
opinion-login-to-vote = حصہ لینے کے لیے لاگ اِن کریں۔
opinion-remaining = { $count ->
    [one] ایک بیان باقی ہے
   *[other] { $count } بیانات باقی ہیں
}
opinion-agree = متفق
opinion-disagree = غیر متفق
opinion-pass = چھوڑیں / یقین نہیں
opinion-all-voted = آپ نے ہر بیان پر رائے دے دی ہے۔ شکریہ! نئے بیانات کے لیے بعد میں آئیں، یا اپنا بیان شامل کریں۔
opinion-no-statements = ابھی رائے دینے کے لیے کوئی بیان نہیں۔
opinion-add-heading = بیان شامل کریں
opinion-add-submit = بیان بھیجیں
opinion-statement = بیان
opinion-statement-hint = ایک خیال، زیادہ سے زیادہ 280 حروف۔ منتظم کی منظوری کے بعد دوسروں کو دکھایا جاتا ہے۔ نام یا دیگر ذاتی معلومات نہ لکھیں۔
opinion-seed-hint = منتظم کے طور پر آپ کا بیان فوراً دکھایا جاتا ہے۔
opinion-statement-added = شکریہ: آپ کا بیان جانچ کے بعد دکھایا جائے گا۔
opinion-statement-added-seed = بیان شامل کر دیا گیا۔
opinion-your-statements = آپ کے بیانات
opinion-status = کیفیت
opinion-status-pending = جانچ کا منتظر
opinion-status-approved = دکھایا گیا
opinion-status-rejected = قبول نہیں ہوا
opinion-reason = وجہ
opinion-approve = منظور کریں
opinion-reject = مسترد کریں
opinion-remove = ہٹائیں
opinion-removed-reason = منتظم نے ہٹا دیا
opinion-change = تبدیلی
opinion-decided = فیصلہ شدہ بیانات
opinion-queue-empty = کوئی بیان منتظر نہیں۔
opinion-pending-count = { $count ->
    [one] ایک بیان منتظر ہے
   *[other] { $count } بیانات منتظر ہیں
}
opinion-error-statement-long = بیان زیادہ سے زیادہ 280 حروف کا ہو سکتا ہے۔
opinion-error-keyword-level = صرف عوام کے لیے کھلی گفتگو کا ایس ایم ایس کلیدی لفظ ہو سکتا ہے: کوئی بھی پیغام بھیج سکتا ہے۔
opinion-votes-count = { $count ->
    [one] ایک رائے
   *[other] { $count } آرا
}
opinion-voters-count = { $count ->
    [one] ایک شریک
   *[other] { $count } شرکاء
}
opinion-participants-count = { $count ->
    [one] ایک شریک
   *[other] { $count } شرکاء
}
opinion-groups-count = { $count ->
    [one] رائے کا ایک گروہ
   *[other] رائے کے { $count } گروہ
}
opinion-not-enough = رائے کے گروہ بنانے کے لیے ابھی کافی آرا نہیں۔ جب کافی لوگ کافی بیانات پر رائے دے دیں گے تو گروہ ظاہر ہوں گے۔
opinion-suppressed = { $count ->
    [one] ایک گروہ دکھانے کے لیے بہت چھوٹا ہے۔
   *[other] { $count } گروہ دکھانے کے لیے بہت چھوٹے ہیں۔
}
opinion-map = آرا کا نقشہ
opinion-map-title = آرا کا نقشہ: شرکاء رائے کے گروہوں کے لحاظ سے
opinion-map-desc = ہر نقطہ ایک شریک ہے، جو ملتی جلتی رائے دینے والوں کے قریب رکھا گیا ہے؛ رنگ اور شکل گروہ بتاتے ہیں، حرف اس کا مرکز دکھاتا ہے۔ چھوٹے نمبر والے مربع بیانات ہیں۔ نیچے کی جدولیں یہی معلومات دیتی ہیں۔
opinion-map-hint = قریب قریب شرکاء نے ملتی جلتی رائے دی۔ نمبر والے مربع بیانات ہیں، جو ان سے متفق شرکاء کی طرف رکھے گئے ہیں۔
opinion-group = گروہ { $name }
opinion-group-view = گروہ نے کیسے رائے دی
opinion-rep-intro = وہ بیانات جو اس گروہ کو دوسروں سے ممتاز کرتے ہیں:
opinion-pct-agree = { $pct }% متفق
opinion-pct-disagree = { $pct }% غیر متفق
opinion-consensus = مشترکہ بنیاد
opinion-consensus-intro = وہ بیانات جن سے اکثر شرکاء متفق (یا غیر متفق) ہیں۔
opinion-gic = گروہوں میں اتفاق
opinion-gic-intro = وہ بیانات جن سے ہر گروہ متفق ہونے کا رجحان رکھتا ہے (گروہ پر مبنی اتفاقِ رائے)، سب سے زیادہ پہلے۔
opinion-gic-short = اتفاقِ رائے
opinion-divisive = گروہوں کو کیا تقسیم کرتا ہے
opinion-divisive-intro = وہ بیانات جن پر گروہ سب سے زیادہ مختلف ہیں۔
opinion-all-statements = تمام بیانات
opinion-none-yet = ابھی کوئی نہیں۔
opinion-export-heading = برآمد
opinion-export-results = ہر بیان اور گروہ کے نتائج
opinion-export-json = گفتگو، آرا اور نتائج
opinion-export-polis = پولس (Polis) برآمدی فارمیٹ
opinion-import-title = پولس (Polis) کی گفتگو درآمد کریں
opinion-import-intro = پولس سے برآمد شدہ گفتگو لائیں: comments.csv کے ساتھ votes.csv یا participants-votes.csv۔ خراب فائل فائل اور سطر کے نام کے ساتھ رد کر دی جاتی ہے، اور کچھ بھی درآمد نہیں ہوتا۔
opinion-import-votes-hint = votes.csv (ہر رائے) یا participants-votes.csv (حتمی آرا) دیں؛ دونوں دی جائیں تو votes.csv استعمال ہوتی ہے۔
opinion-import-submit = درآمد کریں
opinion-import-failed = کچھ بھی درآمد نہیں ہوا:
opinion-import-missing-file = { $file } ضروری ہے۔
opinion-import-missing-column = { $file }، سطر { $line }: کالم “{ $detail }” موجود نہیں۔
opinion-import-syntax = { $file }، سطر { $line }: سطر درست CSV نہیں (خانوں کی غلط تعداد، غلط اقتباس یا UTF-8 نہیں)۔
opinion-import-not-number = { $file }، سطر { $line }: “{ $detail }” ایک عدد ہونا چاہیے۔
opinion-import-bad-vote = { $file }، سطر { $line }: رائے -1، 0 یا 1 ہونی چاہیے۔
opinion-import-unknown-statement = { $file }، سطر { $line }: بیان { $detail } comments.csv میں نہیں۔
opinion-import-duplicate = { $file }، سطر { $line }: بیان { $detail } دو بار آیا ہے۔
opinion-import-bad-statement = { $file }، سطر { $line }: بیان خالی ہے یا 2000 حروف سے لمبا ہے۔
opinion-import-no-votes = votes.csv یا participants-votes.csv دیں۔
