# مشترکہ ایجنڈا سازی۔
agenda-title = ایجنڈے کے دور
agenda-lead = فریقین کے گروہ اور عوام تجویز کرتے ہیں کہ مذاکرات یا مکالمہ کن نکات پر بات کرے، اور حمایت یا اعتراض کرتے ہیں؛ ہر فریق اور ہر گروہ کا وزن برابر ہے۔ بند دور ثالث کے لیے خلاصہ بن جاتا ہے۔
agenda-none = ابھی ایجنڈے کا کوئی دور نہیں۔
agenda-open = تجاویز کے لیے کھلا
agenda-closed = بند
agenda-brief = ایجنڈے کا خلاصہ
agenda-add = ایجنڈے کا دور شروع کریں
agenda-round-name = ایجنڈا کس کے لیے ہے (مذاکرات، مکالمہ)
agenda-round-question = شرکاء سے پوچھا گیا سوال
agenda-sms-keyword = ایس ایم ایس سے: { $keyword } بھیجیں
agenda-taking-part = شریک
agenda-items = تجویز کردہ نکات، درجہ بندی کے ساتھ
agenda-rank-explained = درجہ بندی گروہوں کا خیال رکھتی ہے: ہر فریق برابر شمار ہوتا ہے، اور فریق کے اندر ہر گروہ برابر، چاہے وہ کتنا ہی بڑا ہو۔ عوام مل کر ایک گروہ شمار ہوتے ہیں۔
agenda-no-items = ابھی کوئی نکتہ نہیں۔
agenda-sides-for = حامی فریق
agenda-sides-against = مخالف فریق
agenda-supported-by = حمایت کرنے والے
agenda-dissent = اختلاف
agenda-from = ماخذ
agenda-proposed-by = تجویز کنندہ
agenda-merged = شامل شدہ مکرر نکات
agenda-you-support = آپ اس نکتے کی حمایت کرتے ہیں۔
agenda-you-object = آپ اس نکتے پر معترض ہیں۔
agenda-for = کی جانب سے
agenda-for-myself = اپنی جانب سے
agenda-note = نوٹ (اختیاری)
agenda-support = حمایت
agenda-object = اعتراض
agenda-propose = نکتہ تجویز کریں
agenda-proposed-pending = شکریہ۔ فہرست میں شامل ہونے سے پہلے منتظمین آپ کا نکتہ دیکھیں گے۔
agenda-item-title = نکتہ
agenda-item-why = یہ کیوں اہم ہے (اختیاری)
agenda-source-none = کچھ نہیں (نئی تجویز)
agenda-source-concern = تشویش
agenda-source-poll = رائے شماری کا نتیجہ
agenda-source-statement = رائے کا بیان
agenda-pending = نگرانی کے منتظر
agenda-no-pending = کچھ بھی نگرانی کا منتظر نہیں۔
agenda-approve = منظور کریں
agenda-reject = مسترد کریں
agenda-organise = دور کا انتظام
agenda-merge-from = مکرر نکتہ
agenda-merge-into = اس میں ضم کریں
agenda-merge = ضم کریں
agenda-keyword = ایس ایم ایس کلیدی لفظ (صرف عوامی دور)
agenda-summary = منتظمین کا خلاصہ
agenda-close = دور بند کریں اور خلاصہ بنائیں
agenda-back = دور پر واپس
agenda-brief-draft = مسودہ: دور ابھی کھلا ہے
agenda-closed-on = بند ہوا
agenda-brief-more = { $count ->
    [one] ایک اور نکتہ مکمل خلاصے (مارک ڈاؤن یا JSON) میں ہے۔
   *[other] مزید { $count } نکات مکمل خلاصے (مارک ڈاؤن یا JSON) میں ہیں۔
}
agenda-unnamed = { $count ->
    [one] 1 تنظیم جس کا نام نہیں دیا گیا
   *[other] { $count } تنظیمیں جن کے نام نہیں دیے گئے
}
agenda-public-count = { $count ->
    [one] عوام کا 1 فرد
   *[other] عوام کے { $count } افراد
}
agenda-groups = { $count ->
    [one] 1 گروہ
   *[other] { $count } گروہ
}
agenda-score = اسکور
agenda-error-closed = ایجنڈے کا یہ دور بند ہو چکا ہے۔
agenda-error-source = کوئی تشویش، رائے شماری یا بیان منتخب کریں جو آپ دیکھ سکتے ہیں، یا کچھ نہیں۔
agenda-error-merge-self = کسی نکتے کو خود اسی میں ضم نہیں کیا جا سکتا۔
