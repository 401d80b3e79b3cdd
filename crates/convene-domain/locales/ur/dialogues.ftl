# ٹریک ٹو مکالمے: سلسلے، دور، پانچ مراحل، خطرات کا رجسٹر، شرکا اور انتخابی بورڈ۔
dialogue-title = ٹریک ٹو مکالمے
dialogue-lead = سرحد کے آر پار مکالموں کے سلسلے: دور اور متوازی نشستیں، مداخلت کے پانچ مراحل، سلسلے کا خطرات کا رجسٹر، شرکا، اور ہر دور کے لیے ایک انتخابی بورڈ جو اشرافیہ کے غلبے، ہم خیالی کے دائرے اور انہی لوگوں کے بار بار آنے سے خبردار کرتا ہے۔
dialogue-none = ابھی مکالمے کا کوئی سلسلہ نہیں۔
dialogue-new = مکالمے کا نیا سلسلہ
dialogue-description = یہ سلسلہ کس لیے ہے
dialogue-sides = فریق (ہر سطر میں ایک)
dialogue-sides-hint = وفود، مثلاً دونوں ملک: دو سے چھ تک۔
dialogue-sides-label = فریق
dialogue-rounds-count = { $n ->
    [one] ایک دور
   *[other] { $n } دور
}
dialogue-error-sides = دو سے چھ فریق لکھیں، ہر سطر میں ایک، ہر ایک ۸۰ حروف سے کم۔
dialogue-error-scale = ۱، ۲ یا ۳ چنیں۔
dialogue-error-share = ۰ اور ۱۰۰ کے درمیان فیصد لکھیں۔
dialogue-error-side = سلسلے کے فریقوں میں سے ایک چنیں۔
dialogue-error-withdrawn = یہ شریک الگ ہو چکے ہیں اور بعد کے کسی دور میں شامل نہیں کیے جا سکتے۔
dialogue-participants = شرکا
dialogue-participants-link = { $n ->
    [one] شرکا: ایک جنہیں آپ دیکھ سکتے ہیں
   *[other] شرکا: { $n } جنہیں آپ دیکھ سکتے ہیں
}
dialogue-participants-lead = اس سلسلے کے وہ لوگ جنہیں آپ دیکھ سکتے ہیں۔ کسی وفد کا کنوینر اپنے نام صرف نامزد لوگوں تک رکھ سکتا ہے: تب آپ ان کے دوروں کے اعداد دیکھتے ہیں، نام کبھی نہیں۔
dialogue-no-participants = ابھی کوئی شریک نہیں جنہیں آپ دیکھ سکیں۔
dialogue-rounds = دور اور متوازی نشستیں
dialogue-no-rounds = ابھی کوئی دور نہیں۔
dialogue-round = دور
dialogue-held-on = تاریخ
dialogue-city = میزبان شہر
dialogue-mode = ملاقات کا طریقہ
dialogue-parent = کس دور کے ساتھ
dialogue-parent-none = کوئی نہیں: اپنا الگ دور
dialogue-notes = نوٹس
dialogue-add-round = دور یا متوازی نشست شامل کریں
dialogue-board-hint = ہر دور کا نام اس کا انتخابی بورڈ کھولتا ہے۔
dialogue-format = شکل
dialogue-format-core = بنیادی مکالمہ
dialogue-format-roundtable = پالیسی گول میز
dialogue-format-side_meeting = ضمنی ملاقات
dialogue-format-focus_group = فوکس گروپ
dialogue-format-youth = نوجوانوں کا مکالمہ
dialogue-format-women_led = خواتین کی قیادت میں کانفرنس
dialogue-mode-in_person = بالمشافہ
dialogue-mode-online = آن لائن
dialogue-mode-hybrid = ملا جلا
dialogue-steps = پانچ مراحل
dialogue-step-done = مکمل
dialogue-step-edit = اس مرحلے کو تازہ کریں
dialogue-step-assessment = ۱۔ جائزہ
dialogue-step-assessment-hint = تنازع، اس کے فریق، اور ٹریک ٹو عمل کیا اضافہ کر سکتا ہے؛ اس پر پہلے سے کون کام کر رہا ہے۔
dialogue-step-strategy = ۲۔ حکمتِ عملی
dialogue-step-strategy-hint = تبدیلی کا نظریہ اور سرگرمیوں کا نقشہ، جو دکھائے کہ یہ سلسلہ کون سے خلا پُر کرتا ہے۔
dialogue-step-design = ۳۔ عمل کا خاکہ
dialogue-step-design-hint = نشستوں کی شکلیں، شرکا، ایجنڈا، مقامات، رازداری کے اصول اور خطرات کا رجسٹر۔
dialogue-step-conduct = ۴۔ انعقاد
dialogue-step-conduct-hint = دور بذاتِ خود: سہولت کاری، چیٹم ہاؤس اصول کے تحت نوٹس، سفارشات۔
dialogue-step-follow_up = ۵۔ پیروی اور جائزہ
dialogue-step-follow_up-hint = سفارشات کی پالیسی تک منتقلی، نتائج کی تلاش اور رپورٹیں۔
dialogue-risks = خطرات کا رجسٹر
dialogue-risks-hint = سلسلے کے تنازع سے متعلق حساس خطرات: امکان اور اثر ۱ سے ۳ تک، ہر دور پر دوبارہ جانچے جاتے ہیں۔
dialogue-no-risks = ابھی کوئی خطرہ درج نہیں۔
dialogue-risk = خطرہ
dialogue-likelihood = امکان
dialogue-impact = اثر
dialogue-score = درجہ
dialogue-mitigation = تدارک
dialogue-owner = ذمہ دار
dialogue-reviewed = آخری جانچ
dialogue-not-reviewed = ابھی جانچا نہیں گیا
dialogue-review = جانچ
dialogue-add-risk = خطرہ شامل کریں
dialogue-scale-1 = ۱: کم
dialogue-scale-2 = ۲: درمیانہ
dialogue-scale-3 = ۳: زیادہ
dialogue-thresholds = حدیں اور اہداف
dialogue-thresholds-hint = جب کسی دور کی فہرست ان میں سے کوئی حد پار کرے تو انتخابی بورڈ خبردار کرتا ہے۔ فہرست کا فیصد۔
dialogue-thresholds-where = سلسلہ اپنی حدیں خود طے کرتا ہے:
dialogue-threshold-elite-max = سیاست دانوں اور سینئر عہدیداروں کی زیادہ سے زیادہ حد
dialogue-threshold-institution-max = ایک ادارے سے زیادہ سے زیادہ
dialogue-threshold-agreement-max = منسلک مشاورتوں میں مدعوئین کے باہمی اتفاق کی زیادہ سے زیادہ حد
dialogue-threshold-community-max = فریقین کے نقشے کی ایک برادری میں زیادہ سے زیادہ مدعوئین
dialogue-threshold-repeat-max = پچھلے دور میں شریک ہونے والوں کی زیادہ سے زیادہ حد
dialogue-threshold-network-nomination-max = اپنے ہی حلقے کے پرانے شرکا کی طرف سے نامزد کیے گئے لوگوں کی زیادہ سے زیادہ حد
dialogue-threshold-women-min = خواتین کی کم سے کم حد
dialogue-threshold-youth-min = ۳۰ سال سے کم عمر لوگوں کی کم سے کم حد
dialogue-threshold-side-min = ہر فریق سے کم سے کم
dialogue-threshold-sector-max = ایک شعبے سے زیادہ سے زیادہ
dialogue-conversations = منسلک مشاورتیں
dialogue-conversations-hint = رائے کی وہ گفتگوئیں جن میں ایس ایم ایس کے ذریعے دیے گئے ووٹ دکھاتے ہیں کہ مدعوئین کتنا ملتا جلتا سوچتے ہیں۔ صرف اوسط اتفاق نکالا جاتا ہے، کبھی یہ نہیں کہ کس نے کیا ووٹ دیا۔
dialogue-no-conversations = ابھی رائے کی کوئی گفتگو نہیں۔
dialogue-conversations-go = رائے کی گفتگوئیں
dialogue-name = نام
dialogue-side = فریق
dialogue-sector = شعبہ
dialogue-gender = جنس
dialogue-age = عمر
dialogue-seniority = سینیارٹی
dialogue-influence = پالیسی پر اثر
dialogue-institution = ادارہ
dialogue-nominated-by = نامزد کنندہ
dialogue-attended = شرکت والے دور
dialogue-actor = فریقین کے نقشے پر بطور
dialogue-nobody = کوئی نہیں
dialogue-withdraw = علیحدگی درج کریں
dialogue-withdrawn = الگ ہو گئے
dialogue-withdrawn-on = الگ ہونے کی تاریخ
dialogue-add-participant = شریک شامل کریں
dialogue-add-participant-hint = نام، ای میل اور فون ہر رابطے کی طرح خفیہ رکھے جاتے ہیں۔ فون منسلک گفتگوؤں میں ان کے ایس ایم ایس ووٹوں کو بورڈ کے اتفاق کے عدد سے جوڑتا ہے۔
dialogue-participant-level = نام کون دیکھ سکتا ہے
dialogue-participant-level-hint = صرف نامزد لوگ: اس وفد کے نام صرف آپ تک رہتے ہیں؛ دوسرے کنوینروں کے بورڈ انہیں فرضی شناخت کے تحت گنتے ہیں۔
dialogue-sector-retired_official = ریٹائرڈ عہدیدار
dialogue-sector-politician = سیاست دان
dialogue-sector-security = سلامتی
dialogue-sector-business = کاروبار
dialogue-sector-media = ذرائع ابلاغ
dialogue-sector-civil_society = سول سوسائٹی
dialogue-sector-academia = تعلیمی شعبہ
dialogue-sector-religious = مذہبی
dialogue-sector-other = دیگر
dialogue-gender-woman = خاتون
dialogue-gender-man = مرد
dialogue-gender-other = دیگر
dialogue-gender-undisclosed = نہیں بتایا
dialogue-age-under_30 = ۳۰ سے کم
dialogue-age-30_44 = ۳۰ سے ۴۴
dialogue-age-45_59 = ۴۵ سے ۵۹
dialogue-age-60_plus = ۶۰ یا زیادہ
dialogue-age-undisclosed = نہیں بتایا
dialogue-seniority-junior = جونیئر
dialogue-seniority-mid = درمیانی سطح
dialogue-seniority-senior = سینئر
dialogue-board = انتخابی بورڈ
dialogue-warnings = انتباہات
dialogue-no-warnings = { $n ->
    [one] ایک شخص کی اس فہرست کے لیے کوئی انتباہ نہیں۔
   *[other] { $n } افراد کی اس فہرست کے لیے کوئی انتباہ نہیں۔
}
dialogue-not-judged = اعداد و شمار کی کمی کے باعث نہیں جانچا گیا:
dialogue-not-judged-echo-votes = اتفاق: منسلک گفتگوؤں میں تین سے کم مدعوئین نے کسی دوسرے مدعو کے ساتھ پانچ مشترک بیانات پر ووٹ دیا۔
dialogue-not-judged-echo-community = برادریاں: تین سے کم مدعوئین فریقین کے نقشے پر ہیں۔
dialogue-family-elite = اشرافیہ کا غلبہ
dialogue-family-echo = ہم خیالی کا دائرہ
dialogue-family-replication = وہی لوگ بار بار
dialogue-family-balance = توازن
dialogue-warning-elite-capture = اشرافیہ کا غلبہ
dialogue-warning-elite-capture-text = { $of } میں سے { $count } مدعوئین ({ $figure }٪) سیاست دان یا سینئر عہدیدار ہیں؛ سلسلے کی حد { $threshold }٪ ہے۔
dialogue-warning-one-institution = ایک ادارہ
dialogue-warning-one-institution-text = { $of } میں سے { $count } مدعوئین ({ $figure }٪) ایک ہی ادارے سے ہیں؛ سلسلے کی حد { $threshold }٪ ہے۔
dialogue-warning-echo-votes = ہم خیالی کا دائرہ: ووٹوں میں یکساں
dialogue-warning-echo-votes-text = منسلک گفتگوؤں میں ووٹ دینے والے مدعوئین، { $of } ووٹروں کے { $count } جوڑوں کی اوسط پر، ان بیانات میں سے { $figure }٪ پر متفق ہیں جن پر دونوں نے ووٹ دیا؛ سلسلے کی حد { $threshold }٪ ہے۔
dialogue-warning-echo-community = ہم خیالی کا دائرہ: ایک ہی حلقہ
dialogue-warning-echo-community-text = فریقین کے نقشے پر موجود { $of } مدعوئین میں سے { $count } ({ $figure }٪) اس کی ایک ہی برادری میں ہیں؛ سلسلے کی حد { $threshold }٪ ہے۔
dialogue-warning-self-replication = وہی لوگ بار بار
dialogue-warning-self-replication-text = { $of } میں سے { $count } مدعوئین ({ $figure }٪) اسی شکل کے پچھلے دور میں شریک تھے؛ سلسلے کی حد { $threshold }٪ ہے۔
dialogue-warning-network-nomination = وہی لوگ بار بار: اپنے حلقے سے نامزد
dialogue-warning-network-nomination-text = { $of } میں سے { $count } مدعوئین ({ $figure }٪) کو ان پرانے شرکا نے نامزد کیا جن سے فریقین کے نقشے پر ان کا تعلق ہے؛ سلسلے کی حد { $threshold }٪ ہے۔
dialogue-warning-few-women = خواتین کم
dialogue-warning-few-women-text = { $of } میں سے { $count } مدعوئین ({ $figure }٪) خواتین ہیں؛ سلسلے کا ہدف کم از کم { $threshold }٪ ہے۔
dialogue-warning-few-youth = نوجوان کم
dialogue-warning-few-youth-text = { $of } میں سے { $count } مدعوئین ({ $figure }٪) کی عمر ۳۰ سال سے کم ہے؛ سلسلے کا ہدف کم از کم { $threshold }٪ ہے۔
dialogue-warning-side-share = ایک فریق کی کم نمائندگی
dialogue-warning-side-share-text = { $of } میں سے { $count } مدعوئین ({ $figure }٪) { $category } سے ہیں؛ سلسلے کا ہدف ہر فریق سے کم از کم { $threshold }٪ ہے۔
dialogue-warning-sector-share = ایک شعبے کا غلبہ
dialogue-warning-sector-share-text = { $of } میں سے { $count } مدعوئین ({ $figure }٪) ایک ہی شعبے ({ $category }) سے ہیں؛ سلسلے کی حد { $threshold }٪ ہے۔
dialogue-makeup = فہرست کی ترکیب
dialogue-makeup-total = { $n ->
    [one] فہرست میں ایک شخص۔
   *[other] فہرست میں { $n } افراد۔
}
dialogue-hidden = { $n ->
    [one] ان میں سے ایک فرضی شناخت کے تحت گنا گیا ہے: نام ان کا کنوینر رکھتا ہے۔
   *[other] ان میں سے { $n } فرضی شناختوں کے تحت گنے گئے ہیں: نام ان کے کنوینر رکھتے ہیں۔
}
dialogue-roster = فہرست
dialogue-roster-empty = اس دور میں ابھی کوئی نہیں۔
dialogue-flags = نوٹ
dialogue-flag-previous = پچھلے دور میں شریک تھے
dialogue-flag-network = اپنے حلقے سے نامزد
dialogue-status = کیفیت
dialogue-status-proposed = تجویز کردہ
dialogue-status-invited = مدعو
dialogue-status-accepted = قبول کیا
dialogue-status-declined = معذرت کی
dialogue-status-attended = شریک ہوئے
dialogue-status-absent = غیر حاضر
dialogue-status-withdrawn = الگ ہو گئے
dialogue-pseudonym = (نام ان کے کنوینر کے پاس ہے)
dialogue-add-to-round = اس دور میں شامل کریں
dialogue-history = معذرت، غیر حاضر یا الگ ہونے والے
dialogue-propose-again = دوبارہ تجویز کریں
dialogue-error-funder = بتائیں کہ یہ نکتہ کس مالی معاون نے تجویز کیا: مالی معاونین کی تجاویز اسی حیثیت سے درج کی جاتی ہیں۔
dialogue-error-escalation = دھماکہ خیز نکتے کے لیے کشیدگی کے نوٹس ضروری ہیں: اگر اس سے کمرے یا ذرائع ابلاغ میں اشتعال پیدا ہو تو کنوینر کیا کریں گے۔
dialogue-error-park-core = نکتہ کسی متوازی نشست میں مؤخر کیا جاتا ہے، بنیادی دور میں نہیں۔
dialogue-agenda = ایجنڈا
dialogue-agenda-lead = سلسلے کے ایجنڈے کے نکات: ہر ایک کتنا حساس ہے، کہاں سے آیا، ہر فریق اسے کیسے پیش کرے گا، کس سے مشاورت ہوئی، اور دوروں میں اس کی جگہ کیا ہے۔
dialogue-items-count = { $n ->
    [one] ایک نکتہ۔
   *[other] { $n } نکات۔
}
dialogue-from-funders = { $n ->
    [one] ان میں سے ایک کسی مالی معاون نے تجویز کیا۔
   *[other] ان میں سے { $n } مالی معاونین نے تجویز کیے۔
}
dialogue-ledger = مؤخر کیے گئے موضوعات
dialogue-ledger-hint = وہ موضوعات جو کسی متوازی نشست (نوجوانوں کا مکالمہ، گول میز) میں مؤخر کیے گئے، اور کیا وہ کبھی بعد کے کسی بنیادی دور میں واپس آئے۔
dialogue-ledger-none = کوئی موضوع مؤخر نہیں کیا گیا۔
dialogue-parked-in = { $round } میں مؤخر
dialogue-back-in = { $round } میں واپس
dialogue-not-back = کسی بنیادی دور میں واپس نہیں آیا
dialogue-items = نکات
dialogue-no-items = ابھی ایجنڈے کا کوئی نکتہ نہیں۔
dialogue-sensitivity = حساسیت
dialogue-sensitivity-routine = معمول کا
dialogue-sensitivity-careful = محتاط پیشکش درکار
dialogue-sensitivity-explosive = دھماکہ خیز
dialogue-source = ماخذ
dialogue-source-consultation = فریقین سے مشاورت
dialogue-source-context_analysis = صورتِ حال کا تجزیہ
dialogue-source-participants = شرکا
dialogue-source-conveners = کنوینر
dialogue-source-funder = کسی مالی معاون کی تجویز
dialogue-source-note = ماخذ کی تفصیل
dialogue-source-note-hint = مالی معاون کی تجویز کے لیے ضروری: کون سا معاون، اور کس نے کہا۔
dialogue-escalation = کشیدگی کے نوٹس
dialogue-escalation-hint = دھماکہ خیز نکتے کے لیے ضروری: اگر اس سے کمرے یا ذرائع ابلاغ میں اشتعال پیدا ہو تو کنوینر کیا کریں گے۔
dialogue-framing = پیشکش برائے
dialogue-in-rounds = دوروں میں
dialogue-place = جگہ
dialogue-place-agenda = ایجنڈے پر
dialogue-place-parked = مؤخر
dialogue-place-none = اس دور سے ہٹا ہوا
dialogue-linked = مشاورت کا ذریعہ
dialogue-hidden-consultations = { $n ->
    [one] ایک اور مشاورت صرف نامزد لوگوں کے لیے رکھی گئی ہے۔
   *[other] { $n } اور مشاورتیں صرف نامزد لوگوں کے لیے رکھی گئی ہیں۔
}
dialogue-item-work = جگہ دیں، مشاورت درج کریں، ترمیم کریں
dialogue-consulted-on = مشاورت کی تاریخ
dialogue-consulted = کس سے مشاورت ہوئی
dialogue-consulted-said = انہوں نے کیا کہا
dialogue-consulted-level = یہ مشاورت کون پڑھ سکتا ہے
dialogue-add-consultation = مشاورت درج کریں
dialogue-add-item = ایجنڈے کا نکتہ شامل کریں
dialogue-error-attribution = بولنے والے کا نام صرف ان کی رضامندی سے درج ہوتا ہے: رضامندی کا نشان لگائیں، یا نوٹ کو بغیر نام کے رہنے دیں۔
dialogue-error-off-record = غیر رسمی (آف دی ریکارڈ) بات صرف نامزد لوگوں کے لیے رکھی جاتی ہے۔
dialogue-notes-lead = اس دور میں کیا ہوا، چیٹم ہاؤس اصول کے تحت: جو کہا گیا وہ استعمال ہو سکتا ہے، یہ نہیں کہ کس نے کہا، جب تک بولنے والا نام ظاہر کرنے پر راضی نہ ہو۔ متن خفیہ رکھا جاتا ہے۔
dialogue-notes-none = ابھی کچھ نہیں۔
dialogue-notes-decision = فیصلے
dialogue-notes-action = عملی اقدامات
dialogue-notes-note = نوٹس
dialogue-notes-off_record = آف دی ریکارڈ
dialogue-note-kind = قسم
dialogue-note-kind-note = نوٹ
dialogue-note-kind-off_record = آف دی ریکارڈ
dialogue-note-kind-decision = فیصلہ
dialogue-note-kind-action = عملی قدم
dialogue-note-body = کیا کہا یا طے ہوا
dialogue-speaker = کہنے والے
dialogue-speaker-hint = صرف بولنے والے کی رضامندی سے؛ ورنہ بغیر نام کے رہنے دیں۔
dialogue-speaker-consented = بولنے والا نام ظاہر کرنے پر راضی ہے
dialogue-unattributed = بغیر نام کے
dialogue-action-owner = کون کرے گا (عملی قدم کے لیے)
dialogue-due = آخری تاریخ
dialogue-note-level-hint = آف دی ریکارڈ باتیں ہمیشہ صرف نامزد لوگوں کے لیے رکھی جاتی ہیں۔
dialogue-add-note = اس دور کے ریکارڈ میں شامل کریں
dialogue-mark-done = مکمل قرار دیں
dialogue-reopen = دوبارہ کھولیں
dialogue-error-participant-level = شریک کا نام کم از کم منتظمین تک رکھا جاتا ہے، اور کبھی سلسلے کی اپنی سطح سے کم نہیں۔
dialogue-attributed-hidden = منسوب، ایسے شخص سے جس کا نام آپ نہیں دیکھ سکتے
dialogue-too-small = { $n ->
    [one] فہرست میں ایک شخص: کوئی تناسب جانچنے کے لیے بہت کم۔ انتباہات چار افراد سے شروع ہوتے ہیں۔
   *[other] فہرست میں { $n } افراد: کوئی تناسب جانچنے کے لیے بہت کم۔ انتباہات چار افراد سے شروع ہوتے ہیں۔
}
