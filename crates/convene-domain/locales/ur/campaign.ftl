campaign-title = مہم
campaign-lead = امن عمل میں قدم بہ قدم پیش رفت: حاصل شدہ اور منصوبہ بند سنگ میل، اور اسے چلانے والوں کی تازہ خبریں۔
campaign-timeline = سنگ میل
campaign-no-milestones = ابھی کوئی سنگ میل نہیں۔
campaign-reached = حاصل ہوا
campaign-planned = منصوبہ بند
campaign-reached-on = حاصل ہونے کی تاریخ
campaign-updates = پیش رفت کی تازہ خبریں
campaign-no-updates = ابھی کوئی تازہ خبر نہیں۔
campaign-feed = تازہ خبروں کی پیروی کریں (Atom فیڈ)
campaign-new-update = تازہ خبر لکھیں
campaign-embargoed = ابھی شائع نہیں ہوئی
campaign-add-milestone = سنگ میل شامل کریں
campaign-milestone-title = سنگ میل
campaign-phase = عمل کا مرحلہ
campaign-due-on = منصوبہ بند تاریخ
campaign-milestone-body = اس کا مطلب
campaign-update-title = عنوان
campaign-update-body = متن
campaign-markdown-hint = پیراگراف، **جلی**، *ترچھا*، فہرستیں، اقتباسات اور ویب پتوں کے لنک۔ تصویریں فوٹو کے طور پر شامل کی جاتی ہیں، لنک کے طور پر نہیں؛ HTML متن کے طور پر دکھایا جاتا ہے۔
campaign-language = متن کی زبان
campaign-milestone = سنگ میل
campaign-publish-at = اشاعت کا وقت (ابھی شائع کرنے کے لیے خالی چھوڑیں)
campaign-publish-hint = { $zone } کا مقامی وقت۔ تب تک صرف منتظمین اسے دیکھتے ہیں، کسی فہرست، فیڈ یا لنک میں نہیں۔
campaign-publish = شائع کریں
campaign-embargo-notice = ابھی شائع نہیں ہوئی: اشاعت کے وقت تک صرف منتظمین یہ تازہ خبر دیکھتے ہیں۔
campaign-share = شیئر کریں
campaign-share-email = ای میل
campaign-error-level = تازہ خبر عوام، اراکین یا منتظمین کے لیے ہوتی ہے، کبھی صرف نامزد افراد کے لیے نہیں۔
campaign-error-milestone = اس مہم کا کوئی سنگ میل منتخب کریں۔
pledge-error-target = ہدف 2 سے 10,000,000 تک لوگوں کی تعداد ہے۔
pledge-error-deadline = آخری تاریخ آج کے بعد اور دو سال کے اندر ہو۔
pledge-error-district = دی گئی فہرست میں سے کوئی ضلع چنیں، یا کوئی نہیں۔
pledge-error-closed = یہ عہد اب دستخط نہیں لیتا۔
pledge-mail-confirm-subject = اپنے عہد کی تصدیق کریں: { $title }
pledge-mail-confirm-body = آپ نے، یا اس پتے سے کسی نے، یہ عہد کیا ہے:

    { $title }

    یہ تصدیق کے بعد ہی گنا جائے گا۔ سات دن کے اندر یہ لنک کھولیں:

    { $link }

    دستخط { $deadline } کو ختم ہوں گے۔ ہم آپ کو ایک بار اور لکھیں گے: جب عہد اپنے ہدف تک پہنچے، یا اگر تب تک نہ پہنچے۔ آپ کا پتہ مہر بند رکھا جاتا ہے اور آخری تاریخ کے بعد مٹا دیا جاتا ہے؛ صرف دستخط کرنے والوں کی تعداد دکھائی جاتی ہے۔

    اگر یہ آپ نہیں تھے تو اس پیغام کو نظر انداز کریں: لنک کے بغیر کچھ نہیں گنا جاتا۔
pledge-mail-already = یہ پتہ عہد "{ $title }" پر پہلے ہی دستخط کر چکا ہے اور وہ دستخط گنا جاتا ہے۔ کچھ نہیں بدلا۔
pledge-tipped-subject = عہد اپنے ہدف تک پہنچ گیا: { $title }
pledge-tipped-body = عہد "{ $title }" { $target } لوگوں کے ہدف تک پہنچ گیا ہے۔ اب وہ کرنے کا وقت ہے جس کا آپ نے عہد کیا تھا۔ شکریہ۔
pledge-tipped-sms = عہد "{ $title }" { $target } کے ہدف تک پہنچ گیا۔ اب اپنا عہد پورا کرنے کا وقت ہے۔ شکریہ!
pledge-failed-subject = عہد اپنے ہدف تک نہیں پہنچا: { $title }
pledge-failed-body = عہد "{ $title }" آخری تاریخ تک { $target } لوگوں کے ہدف تک نہیں پہنچا۔ آپ اس کے پابند نہیں ہیں۔ دستخط کا شکریہ۔
pledge-failed-sms = عہد "{ $title }" آخری تاریخ تک { $target } تک نہیں پہنچا؛ آپ اس کے پابند نہیں۔ دستخط کا شکریہ۔
pledge-sms-signed = آپ نے "{ $title }" پر دستخط کیے۔ ہدف تک پہنچنے پر، یا { $deadline } تک نہ پہنچنے پر، ہم آپ کو پیغام بھیجیں گے۔ DELETE سے دستخط واپس، STOP سے پیغامات بند۔
pledge-sms-already = آپ "{ $title }" پر پہلے ہی دستخط کر چکے ہیں؛ آپ کا دستخط گنا جاتا ہے۔
pledge-sms-closed = عہد "{ $title }" اب دستخط نہیں لیتا۔
pledge-sms-no-district = (ہم ضلع نہیں پہچان سکے: آپ کا دستخط ضلع کے بغیر گنا گیا۔)
pledge-list = عہد
pledge-none = ابھی کوئی عہد نہیں۔
pledge-new = نیا عہد شروع کریں
pledge-status-open = دستخط جاری
pledge-status-ended = ختم
pledge-status-tipped = ہدف حاصل
pledge-status-failed = ہدف حاصل نہیں ہوا
pledge-deadline = دستخط کی آخری تاریخ
pledge-signers = دستخط کرنے والے
pledge-of-target = درکار { $target } میں سے
pledge-progress = ہدف کی طرف پیش رفت
pledge-by-district = ضلع وار دستخط کرنے والے
pledge-district = ضلع
pledge-no-district = ضلع نہیں بتایا
pledge-suppression = صرف تعداد دکھائی جاتی ہے، نام کبھی نہیں۔ { $threshold } سے کم تعداد "<{ $threshold }" دکھائی جاتی ہے، اور جب کل تعداد انہیں ظاہر کر دے تو ایک اور تعداد بھی چھپا دی جاتی ہے۔
pledge-counts-csv = ضلع وار تعداد (CSV)
pledge-sign = اس عہد پر دستخط کریں
pledge-by-sms = SMS سے: بھیجیں
pledge-to = بنام
pledge-sms-district-hint = اپنے ضلع میں گنے جانے کے لیے لفظ کے بعد ضلع کا نام لکھیں۔
pledge-check-mail = شکریہ۔ ہم نے آپ کے ای میل پتے پر ایک لنک بھیجا ہے: اسے (سات دن کے اندر) کھولنے پر آپ کا دستخط گنا جائے گا۔
pledge-email = آپ کا ای میل پتہ
pledge-email-hint = دستخط کی تصدیق اور ایک بار یہ بتانے کے لیے کہ عہد ہدف تک پہنچا یا نہیں؛ آخری تاریخ کے بعد مٹا دیا جاتا ہے۔ کبھی دکھایا نہیں جاتا۔
pledge-your-district = آپ کا ضلع (اختیاری)
pledge-sign-button = دستخط کریں
pledge-web-off = ویب پر دستخط کے لیے ای میل درکار ہے، جو یہ سرور نہیں بھیجتا۔ اگر اوپر کوئی لفظ دیا گیا ہے تو SMS سے دستخط کریں۔
pledge-embed = یہ کاؤنٹر کسی اور سائٹ پر دکھائیں
pledge-counter-alt = اس عہد پر دستخط کرنے والوں کی تعداد
pledge-embed-code = دوسری سائٹ کے لیے کوڈ
pledge-counter = دستخط، درکار { $target }
pledge-confirm-title = اپنے دستخط کی تصدیق کریں
pledge-confirm-lead = تصدیق کے لیے بٹن دبائیں: اس کے بعد آپ کا دستخط گنا جائے گا۔
pledge-confirm-button = میرے دستخط کی تصدیق کریں
pledge-confirmed = شکریہ: آپ کا دستخط گنا جاتا ہے۔
pledge-confirmed-tipped = شکریہ: آپ کا دستخط گنا گیا، اور اس کے ساتھ عہد اپنے ہدف تک پہنچ گیا۔ ہر دستخط کنندہ کو بتایا جا رہا ہے۔
pledge-confirm-used = یہ لنک پہلے استعمال ہو چکا ہے: آپ کا دستخط گنا جاتا ہے۔
pledge-confirm-closed = یہ عہد اب دستخط نہیں لیتا: لنک دیر سے آیا۔
pledge-confirm-expired = اس لنک کی میعاد ختم ہو گئی (لنک سات دن چلتے ہیں)۔ نیا لنک پانے کے لیے دوبارہ دستخط کریں۔
pledge-confirm-unknown = یہ لنک معلوم نہیں۔ دیکھیں کہ پورا نقل ہوا ہے۔
pledge-field-title = ہر دستخط کنندہ کیا کرے گا
pledge-title-hint = وعدے کی صورت میں، مثلاً "میں بازار کے دن گزرگاہ تک پیدل جاؤں گا"۔
pledge-field-body = مزید تفصیل
pledge-field-target = کتنے لوگ اسے ممکن بناتے ہیں (ہدف)
pledge-field-deadline = دستخط کا آخری دن
pledge-field-keyword = SMS لفظ (اختیاری)
pledge-keyword-hint = ایک لفظ۔ اسے بھیجنے سے عہد پر دستخط ہو جاتے ہیں؛ اس کے بعد ضلع کا نام دستخط کنندہ کو وہاں گنتا ہے۔
media-photos = تصویریں
media-add-photo = تصویر شامل کریں
media-photo-file = تصویر (JPEG، PNG، WebP یا HEIC، زیادہ سے زیادہ {"\u2066"}{ $mb } MB{"\u2069"})
media-photo-file-hint = ہر تصویر کو سیدھا کر کے نئے سرے سے محفوظ کیا جاتا ہے: کچھ بھی محفوظ کرنے سے پہلے اس کا مقام، کیمرا اور وقت کی معلومات ہٹا دی جاتی ہیں۔
media-alt = تصویر کو ان لوگوں کے لیے بیان کریں جو اسے دیکھ نہیں سکتے (ضروری)
media-alt-hint = یہ کیا دکھاتی ہے، ایک جملے میں، اپ ڈیٹ کی زبان میں۔ اسکرین ریڈر اسے پڑھتے ہیں، اور سست کنکشن والے قارئین تصویر کھولنے سے پہلے اسے دیکھتے ہیں۔
media-upload = تصویر شامل کریں
media-remove = تصویر ہٹائیں
media-added = تصویر شامل ہو گئی۔
media-view-photo = تصویر دیکھیں ({"\u2066"}{ $kb } KB{"\u2069"})
media-count = { $n ->
    [one] 1 تصویر
   *[other] { $n } تصویریں
}
media-error-not-image = یہ فائل ایسی تصویر نہیں جسے Convene پڑھ سکے۔ JPEG، PNG، WebP یا HEIC تصویر بھیجیں۔
media-error-damaged = یہ تصویر خراب ہے یا بھیجتے ہوئے ادھوری رہ گئی۔ دوبارہ بھیجیں۔
media-error-too-large = اس تصویر میں اس سے زیادہ پکسل ہیں جتنے Convene پڑھتا ہے (زیادہ سے زیادہ 50 میگا پکسل)۔ چھوٹی تصویر بھیجیں۔
media-error-heic = اس سرور پر HEIC تصویریں نہیں پڑھی جا سکتیں۔ تصویر JPEG کے طور پر بھیجیں (فون اسے اس طرح بانٹ سکتے ہیں، مثلاً آئی فون پر "Most compatible")۔
media-error-file-missing = بھیجنے کے لیے تصویر منتخب کریں۔
media-add-video = ویڈیو شامل کریں
media-video-file = ویڈیو (MP4، MOV یا WebM، زیادہ سے زیادہ {"\u2066"}{ $mb } MB{"\u2069"} اور 10 منٹ)
media-video-file-hint = محفوظ کرنے سے پہلے اس کا مقام، آلے اور وقت کی معلومات ہٹا دی جاتی ہیں؛ سست کنکشن کے لیے کم معیار کا نسخہ چند منٹ میں بن جاتا ہے۔
media-video-alt = ویڈیو کو ان لوگوں کے لیے بیان کریں جو اسے دیکھ یا سن نہیں سکتے (ضروری)
media-video-upload = ویڈیو شامل کریں
media-watch-low = دیکھیں، کم معیار ({"\u2066"}{ $kb } KB{"\u2069"})
media-watch-full = دیکھیں، پورا معیار ({"\u2066"}{ $kb } KB{"\u2069"})
media-video-low-pending = سست کنکشن کے لیے کم معیار کا نسخہ بن رہا ہے۔
media-error-not-video = یہ فائل ایسی ویڈیو نہیں جسے Convene پڑھ سکے۔ MP4، MOV یا WebM ویڈیو بھیجیں۔
media-error-video-damaged = یہ ویڈیو خراب ہے یا بھیجتے ہوئے ادھوری رہ گئی۔ دوبارہ بھیجیں۔
media-error-video-long = یہ ویڈیو 10 منٹ سے لمبی ہے۔ چھوٹی ویڈیو بھیجیں۔
media-error-video-unavailable = اس سرور پر ویڈیو پر کارروائی نہیں ہو سکتی (ffmpeg نصب نہیں)۔ تصویریں شامل کی جا سکتی ہیں۔
media-error-video-missing = بھیجنے کے لیے ویڈیو منتخب کریں۔
pledge-map-caption = ضلع وار دستخط کنندگان، جیسے جدول میں: جتنا گہرا رنگ، اتنے زیادہ دستخط کنندگان۔ دھاری دار اضلاع میں دستخط کنندگان ہیں جن کی تعداد چھپائی گئی ہے۔
pledge-map-none = کوئی نہیں
pledge-map-hidden = چھپایا گیا
media-captions = کیپشن
media-captions-file = کیپشن (اختیاری، WebVTT فائل)
media-captions-hint = جو کہا اور سنا جاتا ہے، وقت کے ساتھ، اپ ڈیٹ کی زبان میں: جو لوگ ویڈیو سن نہیں سکتے وہ اسے پڑھتے ہیں۔ زیادہ تر ویڈیو ایڈیٹر اور سب ٹائٹل کے اوزار WebVTT (.vtt) محفوظ کرتے ہیں۔
media-error-captions = کیپشن WebVTT فائل نہیں (یہ WEBVTT سے شروع ہوتی ہے اور اس میں وقت والے حصے ہوتے ہیں جیسے 00:00.000 --> 00:02.000)۔ ‎.vtt فائل بھیجیں، یا کوئی نہیں۔
media-video-added = ویڈیو شامل ہو گئی۔ سست کنکشن کے لیے اس کا کم معیار کا نسخہ چند منٹ میں آ جائے گا۔

## اپنے نمائندے سے رابطہ
rep-title = اپنے نمائندے سے رابطہ کریں
rep-lead = جہاں آپ رہتے ہیں وہ جگہ چنیں: آپ کے نمائندے کون ہیں، مہم کے مطالبے پر انہوں نے کیا کہا، اور انہیں اپنے الفاظ میں لکھیں۔ ہم کبھی آپ کا مقام نہیں پوچھتے۔
rep-none = ابھی کوئی نمائندہ شامل نہیں کیا گیا۔
rep-none-here = اس جگہ کے لیے ابھی کوئی نمائندہ درج نہیں۔
rep-manage = نمائندے: درآمد، اضافہ، جائزہ
rep-your-place = آپ کہاں رہتے ہیں
rep-choose-place = جگہ چنیں
rep-place-hint = آپ کا ضلع، یا معلوم نہ ہو تو آپ کا علاقہ۔ اوپر کی جگہوں کے نمائندے بھی دکھائے جاتے ہیں۔
rep-find = میرے نمائندے دکھائیں
rep-search-place = یا نام سے جگہ تلاش کریں
rep-no-place = اس نام کی کوئی جگہ نہیں۔
rep-for-place = نمائندے برائے
rep-community = برادری کا نمائندہ
rep-stance = مہم کے مطالبے پر موقف
rep-stance-committed = پابند
rep-stance-not_yet = ابھی نہیں
rep-stance-refused = انکار
rep-stance-unknown = معلوم نہیں
rep-the-ask = مطالبہ:
rep-record-stance = موقف اس کے ثبوت کے ساتھ درج کریں
rep-stated-on = کہا یا کیا گیا بتاریخ
rep-evidence = ثبوت: انہوں نے کیا کہا یا کیا، اور کہاں
rep-evidence-url = ثبوت کا لنک (اختیاری)
rep-replies = پیغامات اور جوابات
rep-messages-sent = بھیجے گئے پیغامات
rep-reply-rate = جواب کی شرح
rep-rate-not-enough = ابھی کافی جوابات نہیں
rep-replies-title = نمائندوں کے جواب کی شرح
rep-replies-lead = پیغام پہنچنے کے دو ہفتے بعد ہم بھیجنے والے سے پوچھتے ہیں کہ کیا جواب آیا۔ نمائندے کی شرح ان بھیجنے والوں کا حصہ ہے جنہوں نے "ہاں" کہا، جو کافی جوابات کے بعد دکھائی جاتی ہے۔
rep-replies-caption = بھیجے گئے پیغامات اور جواب کی شرح
rep-replies-suppression = { $threshold } سے کم گنتی "<{ $threshold }" دکھائی جاتی ہے، اور جہاں ضروری ہو ایک اور چھپائی جاتی ہے تاکہ کل سے کوئی ظاہر نہ ہو؛ شرح تب دکھائی جاتی ہے جب کم از کم { $threshold } بھیجنے والوں نے جواب دیا ہو۔
rep-replies-csv = جدول ڈاؤن لوڈ کریں (CSV)
rep-total = کل
rep-name = نام
rep-area = علاقہ
rep-role = نشست یا عہدہ
rep-organisation = جماعت یا ادارہ
rep-counts = بھیجے گئے پیغامات
rep-counts-by-district = بھیجے گئے پیغامات، بھیجنے والوں کے ضلع کے لحاظ سے
rep-write = انہیں لکھیں
rep-web-off = اس سائٹ پر ویب سے لکھنا فعال نہیں۔
rep-points-lead = مہم یہ نکات تجویز کرتی ہے۔ انہیں رہنمائی کے لیے استعمال کریں، اپنے الفاظ میں: جو پیغامات زیادہ تر انہیں یا کسی اور کا پیغام نقل کریں، جائزے کے لیے روکے جاتے ہیں۔
rep-your-message = آپ کا پیغام
rep-own-words = کم از کم 80 حروف، اپنے الفاظ میں۔ بتائیں آپ کون ہیں اور یہ آپ کے لیے کیوں اہم ہے۔
rep-your-name = آپ کا نام (نمائندے کو دکھایا جاتا ہے)
rep-or-phone = یا آپ کا موبائل فون، اگر ای میل پتہ نہیں
rep-contact-hint = تصدیق کے لیے ہم لنک (ای میل سے) یا کوڈ (SMS سے) بھیجتے ہیں؛ تصدیق تک کچھ نہیں بھیجا جاتا۔ آپ کا پتہ مہر بند رہتا ہے، نمائندے کو جواب کے لیے دیا جاتا ہے، اور مہم کی مدت کے بعد مٹا دیا جاتا ہے۔
rep-send = جانچیں اور بھیجیں
rep-check-mail = تقریباً ہو گیا: پیغام بھیجنے کے لیے اپنی ای میل میں بھیجا گیا لنک کھولیں۔
rep-confirm-title = اپنے پیغام کی تصدیق کریں
rep-confirm-lead = اپنا پیغام نمائندے کو بھیجنے کے لیے بٹن دبائیں۔
rep-confirm-button = میرا پیغام بھیجیں
rep-code-lead = ہم نے آپ کے فون پر SMS سے چھ ہندسوں کا کوڈ بھیجا ہے۔ پیغام بھیجنے کے لیے اسے یہاں لکھیں۔
rep-code = کوڈ
rep-code-wrong = یہ وہ کوڈ نہیں جو ہم نے بھیجا۔
rep-code-left = { $left } کوششیں باقی۔
rep-sent-email = آپ کا پیغام ای میل سے نمائندے کی طرف روانہ ہے۔ ان کا جواب سیدھا آپ کو آئے گا۔ دو ہفتے بعد ہم پوچھیں گے کہ کیا جواب آیا۔
rep-sent-sms = آپ کا پیغام SMS سے نمائندے کی طرف روانہ ہے۔ دو ہفتے بعد ہم پوچھیں گے کہ کیا جواب آیا۔
rep-sent-letter = منتظمین آپ کا پیغام چھاپ کر نمائندے کو ڈاک سے بھیجیں گے۔ بھیجنے کے دو ہفتے بعد ہم پوچھیں گے کہ کیا جواب آیا۔
rep-held = آپ کا پیغام تجویز کردہ نکات یا کسی اور کے پیغام سے بہت ملتا ہے، اس لیے بھیجنے سے پہلے منتظمین اسے پڑھیں گے۔ صبر کا شکریہ۔
rep-confirm-used = اس پیغام کی تصدیق پہلے ہو چکی ہے۔
rep-confirm-expired = اس لنک یا کوڈ کی مدت ختم ہو گئی: براہ کرم پیغام دوبارہ لکھیں۔
rep-confirm-unknown = یہ لنک معلوم نہیں۔ شاید غلط لکھا گیا ہو۔
rep-reply-title = کیا آپ کو جواب ملا؟
rep-reply-lead = کیا نمائندے نے آپ کے پیغام کا جواب دیا؟
rep-reply-yes = ہاں، جواب آیا
rep-reply-no = جواب نہیں آیا
rep-reply-thanks = شکریہ: آپ کا جواب ان کی جواب کی شرح میں گنا گیا۔
rep-reply-already = آپ پہلے ہی جواب دے چکے ہیں۔ شکریہ۔
rep-reply-unknown = یہ لنک معلوم نہیں، یا جوابات رکھنے کی مدت سے پرانا ہے۔
rep-limit-address = آپ اس ہفتے اس نمائندے کو پہلے ہی لکھ چکے ہیں۔
rep-limit-sender = آج ایک شخص جتنے پیغامات بھیج سکتا ہے آپ بھیج چکے ہیں۔ براہ کرم کل کوشش کریں۔
rep-limit-rep = اس نمائندے کو آج کے دن جتنے پیغامات ہم بھیجتے ہیں بھیجے جا چکے۔ براہ کرم کل کوشش کریں۔
rep-error-unreachable = ابھی اس نمائندے تک پہنچنے کا کوئی ذریعہ نہیں۔
rep-error-contact = ای میل پتہ یا موبائل فون دیں، تاکہ ہم جانچ سکیں کہ یہ آپ ہیں۔
rep-error-short = آپ کا پیغام بہت چھوٹا ہے: اپنے الفاظ میں کم از کم 80 حروف لکھیں۔
rep-error-no-sms = یہ سائٹ SMS نہیں بھیج سکتی: ای میل پتہ دیں۔
rep-error-area = اس جگہ کے گزیٹیئر کی کوئی جگہ چنیں۔
rep-error-phone = یہ فون نمبر نہیں۔
rep-error-future = یہ تاریخ مستقبل میں ہے۔
rep-error-evidence = بتائیں انہوں نے کیا کہا یا کیا، اور کہاں۔
rep-error-url = لنک https:// سے شروع ہوتا ہے اور اس میں خالی جگہ نہیں ہوتی۔
rep-error-retention = بھیجنے والوں کا ڈیٹا 30 سے 730 دن تک رکھیں۔
rep-error-limit = حد ایک مکمل عدد ہے: فی نمائندہ 1 سے 100,000، فی بھیجنے والا 1 سے 100۔
rep-error-reason = بتائیں پیغام کیوں رد کیا گیا: بھیجنے والے کو بتایا جاتا ہے۔
rep-error-dangling = ایسی چیز کا حوالہ دیتا ہے جو فائل میں نہیں
rep-error-no-id = کی کوئی شناخت (id) نہیں
rep-error-duplicate-id = کی شناخت پہلے کی ایک چیز جیسی ہے
rep-error-no-name = کا کوئی نام نہیں
rep-error-no-person = کسی شخص کا نام نہیں لیتا
rep-error-no-area = کوئی علاقہ نہیں بتاتا
rep-error-area-unknown = یہ علاقہ گزیٹیئر کی کسی جگہ سے (کوڈ یا نام سے) نہیں ملتا
rep-error-json = فائل JSON نہیں
rep-error-popolo-shape = فائل JSON ہے مگر Popolo نہیں: persons، organizations، posts، memberships اور areas فہرستیں ہونی چاہییں
rep-error-none = فائل میں کوئی نمائندہ نہیں (علاقے والی رکنیت، یا نام والی قطار)
rep-error-too-many = فائل میں 20,000 سے زیادہ نمائندے ہیں
rep-error-encoding = فائل UTF-8 متن نہیں
rep-error-csv = یہ سطر CSV کے طور پر نہیں پڑھی جا سکتی
rep-error-column-missing = یہ کالم موجود نہیں
places-sheet-popolo = Popolo فائل
places-sheet-persons = persons
places-sheet-organizations = organizations
places-sheet-posts = posts
places-sheet-memberships = memberships
places-sheet-areas = areas
places-sheet-csv = CSV فائل
rep-queue = جائزے کے لیے روکے گئے پیغامات
rep-queue-empty = کوئی پیغام منتظر نہیں۔
rep-queue-lead = یہ پیغامات تجویز کردہ نکات یا کسی اور کے پیغام سے بہت ملتے ہیں۔ بھیجنے کے لیے جاری کریں، یا وجہ کے ساتھ رد کریں جو بھیجنے والے کو بتائی جاتی ہے۔
rep-to = بنام
rep-from = از
rep-copied = نقل:
rep-reason = وجہ (رد کرنے پر بھیجنے والے کو بتائی جاتی ہے)
rep-release = جاری کریں اور بھیجیں
rep-reject = رد کریں
rep-moderated = ہو گیا۔
rep-letters = چھاپنے کے خطوط
rep-letters-lead = ان نمائندوں کے پیغامات جن کا نہ ای میل ہے نہ فون۔ یہ صفحہ چھاپیں (ہر خط نئے صفحے پر)، ڈاک سے بھیجیں، پھر بھیجے گئے نشان لگائیں۔
rep-letters-none = کوئی خط منتظر نہیں۔
rep-letters-pending = چھپنے کے منتظر خطوط: { $n }
rep-letter-posted = بھیج دیا
rep-letters-mark = نشان زدہ خطوط کو بھیجا گیا درج کریں
rep-import = نمائندے درآمد کریں
rep-import-lead = Popolo JSON فائل (persons، organizations، posts، memberships، areas: جیسے EveryPolitician اور کئی پارلیمان شائع کرتی ہیں) یا CSV فائل جس میں کالم name، area (جگہ کا کوڈ یا نام)، اور اختیاری id، role، organisation، email، phone، address، community (yes/no) ہوں۔ وہی فائل دوبارہ درآمد کرنے سے پہلے درآمد شدہ تازہ ہو جاتا ہے۔ کوئی سطر غلط ہو تو کچھ محفوظ نہیں ہوتا۔
rep-import-file = فائل (JSON یا CSV، زیادہ سے زیادہ 1 MB)
rep-import-button = درآمد کریں
rep-file-missing = درآمد کے لیے فائل چنیں۔
rep-imported = درآمد: { $added } شامل، { $updated } تازہ۔
rep-problems = فائل درآمد نہیں ہوئی؛ کچھ محفوظ نہیں ہوا:
rep-add = برادری کا نمائندہ شامل کریں
rep-added = نمائندہ شامل ہو گیا۔
rep-rep-email = ان کا ای میل پتہ
rep-rep-phone = ان کا فون (جب ای میل نہ ہو)
rep-rep-address = ان کا ڈاک کا پتہ (جب دونوں نہ ہوں)
rep-contacts-hint = عوام کو کبھی نہیں دکھایا جاتا: پیغامات اس سائٹ کے ذریعے ان تک پہنچتے ہیں۔
rep-settings = لکھنا: مطالبہ، تجویز کردہ نکات، حدیں، مدت
rep-settings-saved = ترتیبات محفوظ ہو گئیں۔
rep-points = تجویز کردہ نکات
rep-points-hint = ہر سطر پر ایک نکتہ۔ جو پیغامات زیادہ تر انہیں نقل کریں، جائزے کے لیے روکے جاتے ہیں۔
rep-retention = بھیجنے والوں کا ڈیٹا رکھنے کے دن (30 سے 730)
rep-rep-limit = ایک نمائندے کو روزانہ زیادہ سے زیادہ پیغامات
rep-sender-limit = ایک بھیجنے والے کے روزانہ زیادہ سے زیادہ پیغامات
rep-all = تمام نمائندے
rep-no-contact = ان تک پہنچنے کا کوئی ذریعہ نہیں
rep-mail-confirm-subject = { $rep } کے نام اپنے پیغام کی تصدیق کریں
rep-mail-confirm-body = آپ نے، یا اس پتے سے کسی نے، { $space } کے ذریعے { $rep } کو پیغام لکھا۔

    تصدیق تک کچھ نہیں بھیجا جاتا۔ تین دن کے اندر یہ لنک کھولیں اور بٹن دبائیں:

    { $link }

    اگر آپ نے نہیں لکھا تو یہ ای میل نظر انداز کریں: کچھ نہیں بھیجا جائے گا۔
rep-sms-code = { $rep } کو پیغام بھیجنے کا آپ کا کوڈ: { $code } ({ $space })۔ اگر آپ نے نہیں لکھا تو یہ SMS نظر انداز کریں۔
rep-mail-subject = Message from { $name } ({ $place }), through { $space }
rep-mail-body = { $body }

    { $name }
    { $place }
    { $contact }

    --
    This message was written by a member of the public and confirmed by them through { $space }. Reply to this e-mail to answer them directly.
rep-mail-body-phone = { $body }

    { $name }
    { $place }
    { $contact }

    --
    This message was written by a member of the public and confirmed from their phone through { $space }. They have no e-mail address here: answer them by SMS or call at the number above.
rep-sms-body = { $name } ({ $place }), through { $space }: { $body } Reply to: { $contact }
rep-mail-rejected-subject = { $rep } کے نام آپ کا پیغام نہیں بھیجا گیا
rep-mail-rejected-body = منتظمین نے { $rep } کے نام آپ کا پیغام پڑھا اور اسے نہیں بھیجا:

    { $reason }

    آپ اپنے الفاظ میں دوبارہ لکھ سکتے ہیں۔
rep-mail-ask-subject = کیا { $rep } نے آپ کو جواب دیا؟
rep-mail-ask-body = دو ہفتے پہلے آپ کا پیغام { $rep } کو گیا۔ کیا انہوں نے جواب دیا؟ ایک کلک ہمیں بتاتا ہے، اور ان کی جواب کی شرح بناتا ہے:

    { $link }

    شکریہ۔
rep-sms-ask = کیا { $rep } نے آپ کے پیغام کا جواب دیا؟ یہاں بتائیں: { $link }

## عملی اپیلیں
call-list = عمل کی اپیلیں
call-none = ابھی کوئی اپیل نہیں۔
call-new = عمل کی اپیل شروع کریں
call-what = لوگوں سے کیا کرنے کو کہا جا رہا ہے
call-closes-on = اندراج کا آخری دن (اختیاری)
call-open = اندراج جاری
call-closed = اندراج بند
call-closes = اندراج بند ہوگا
call-moderation = نگرانی
call-signups = اندراجات
call-signed-up = لوگوں نے اندراج کیا
call-by-district = ضلع کے لحاظ سے اندراجات
call-counts-csv = ضلع کے لحاظ سے اندراجات ڈاؤن لوڈ کریں (CSV)
call-signup = اندراج کریں
call-email-hint = تصدیق کے لیے ہم لنک بھیجتے ہیں، پھر ایک ذاتی لنک تاکہ آپ بتا سکیں کہ آپ نے کیا کیا۔ آپ کا پتہ مہر بند ہے اور اپیل ختم ہونے پر مٹا دیا جاتا ہے؛ صرف لوگوں کی تعداد دکھائی جاتی ہے۔
call-signup-button = میرا اندراج کریں
call-check-mail = تقریباً ہو گیا: اپنی ای میل میں بھیجا گیا لنک کھولیں۔
call-confirm-title = اپنے اندراج کی تصدیق کریں
call-confirm-lead = اندراج کی تصدیق کے لیے بٹن دبائیں۔
call-confirm-button = تصدیق کریں
call-confirmed = شکریہ: آپ کا اندراج ہو گیا۔ ہم نے ایک ذاتی لنک بھیجا ہے تاکہ کام کر لینے کے بعد آپ ہمیں بتا سکیں۔
call-error-closed = یہ اپیل اب اندراج نہیں لیتی۔
call-error-reports = آپ اس اپیل کے لیے ایک شخص کی حد تک رپورٹیں بھیج چکے ہیں۔
call-error-status = اس رپورٹ پر پہلے ہی فیصلہ ہو چکا ہے۔
call-error-flag = بتائیں اس میں کیا غلط ہے۔
call-reports = لوگوں نے کیا کیا
call-no-reports = ابھی کوئی رپورٹ شائع نہیں ہوئی۔
call-flag = بدسلوکی کی اطلاع دیں
call-flag-title = بدسلوکی کی اطلاع دیں
call-flag-reason = اس میں کیا غلط ہے
call-flag-send = نگرانوں کو بھیجیں
call-flag-thanks = شکریہ: نگران اسے دیکھیں گے۔
call-report-title = بتائیں آپ نے کیا کیا
call-report-lead = آپ نے کیا کیا، کہاں اور کس کے ساتھ؟ شائع ہونے سے پہلے منتظمین ہر رپورٹ پڑھتے ہیں؛ آپ کا نام کبھی نہیں دکھایا جاتا، صرف آپ کا ضلع۔
call-report-body = آپ نے کیا کیا
call-report-photo = تصویر یا مختصر ویڈیو (اختیاری)
call-report-photo-hint = تصویر (JPEG، PNG، WebP یا HEIC، زیادہ سے زیادہ 25 MB) یا ویڈیو (MP4 یا WebM، زیادہ سے زیادہ 100 MB اور 10 منٹ)۔ محفوظ کرنے سے پہلے اس کا مقام اور ہر چھپی تفصیل ہٹا دی جاتی ہے۔ لوگوں کی رضامندی کے بغیر چہروں کی تصویریں نہ بھیجیں۔
call-report-alt = اگر تصویر بھیجیں: ایک جملے میں بتائیں اس میں کیا ہے
call-report-send = میری رپورٹ بھیجیں
call-report-thanks = شکریہ: شائع ہونے سے پہلے منتظمین آپ کی رپورٹ پڑھیں گے۔
call-report-unknown = یہ لنک معلوم نہیں، یا اپیل ختم ہو چکی ہے۔
call-pending = شائع کرنے کے لیے رپورٹیں
call-publish = شائع کریں
call-flags = بدسلوکی کے طور پر نشان زدہ رپورٹیں
call-no-flags = کچھ نشان زدہ نہیں۔
call-hide = چھپائیں
call-dismiss = دکھاتے رہیں
call-held-messages = نمائندوں کے نام جائزے کے لیے روکے گئے پیغامات: { $n }
call-mail-confirm-subject = اپنے اندراج کی تصدیق کریں: { $title }
call-mail-confirm-body = آپ نے، یا اس پتے سے کسی نے، اس اپیل کے لیے اندراج کیا:

    { $title }

    یہ تصدیق کے بعد ہی گنا جائے گا۔ سات دن کے اندر یہ لنک کھولیں:

    { $link }
call-mail-already = آپ اس اپیل کے لیے پہلے ہی اندراج کر چکے ہیں:

    { $title }

    کچھ نہیں بدلا۔
call-mail-report-subject = کام کر لینے کے بعد: { $title }
call-mail-report-body = اندراج کا شکریہ:

    { $title }

    کام کر لینے کے بعد، اس ذاتی لنک پر بتائیں کہ آپ نے کیا کیا (اور چاہیں تو تصویر بھیجیں):

    { $link }

    شائع ہونے سے پہلے منتظمین ہر رپورٹ پڑھتے ہیں؛ آپ کا نام کبھی نہیں دکھایا جاتا۔
call-sms-signed = آپ نے "{ $title }" کے لیے اندراج کیا۔ شکریہ۔ DELETE سے واپسی، STOP سے پیغامات بند۔
call-sms-already = آپ "{ $title }" کے لیے پہلے ہی اندراج کر چکے ہیں۔
call-sms-closed = "{ $title }" اب اندراج نہیں لیتی۔

## SMS خلاصہ
digest-title = SMS سے خبریں
digest-lead = انٹرنیٹ نہیں؟ { $numbers } پر { $keyword } بھیجیں: عمل کی خبر ہو تو دن میں زیادہ سے زیادہ ایک SMS۔ DELETE یا STOP سے بند۔
digest-set = SMS خلاصے کا کلیدی لفظ
digest-set-hint = ایک لفظ؛ اسے بھیجنے سے رکنیت ہو جاتی ہے۔ نئے رکن نہ لینے ہوں تو خالی چھوڑیں۔ دن میں زیادہ سے زیادہ ایک SMS، صرف جب تازہ خبریں شائع ہوں۔
digest-subscribers = اراکین: { $n }
digest-sms = { $space } کی خبریں:
digest-sms-more = اور { $n } مزید
digest-sms-stop = رکنیت ختم کرنے کو DELETE، مزید SMS نہ چاہیں تو STOP۔
digest-sms-subscribed = خبر ہونے پر آپ کو دن میں زیادہ سے زیادہ ایک SMS ملے گا۔ رکنیت ختم کرنے کو DELETE، مزید SMS نہ چاہیں تو STOP۔
digest-sms-already = آپ پہلے ہی خبروں کے رکن ہیں۔ رکنیت ختم کرنے کو DELETE۔

## SMS سے نمائندے کو لکھنا
rep-sms-keyword = نمائندے کو لکھنے کا SMS کلیدی لفظ (اختیاری)
rep-sms-keyword-hint = ایک لفظ۔ اسے بھیجنے سے SMS پیغام شروع ہوتا ہے: جگہ، نمائندہ، بھیجنے والے کا نام، جتنے پیغامات میں چاہیں الفاظ، پھر بھیجنے کو YES۔
rep-sms-ask-place = اپنے نمائندے کو لکھیں۔ آپ کس جگہ رہتے ہیں؟ اس کا نام یا کوڈ بھیجیں۔
rep-sms-no-place = ہمیں یہ جگہ نہیں ملی۔ اپنے ضلع کا نام یا کوڈ بھیجیں۔
rep-sms-no-reps = اس جگہ کے لیے ابھی کسی نمائندے کو نہیں لکھا جا سکتا۔
rep-sms-ask-rep = جس نمائندے کو لکھنا ہے اس کا نمبر بھیجیں:
rep-sms-pick-number = فہرست میں سے ایک نمبر بھیجیں۔
rep-sms-ask-name = آپ کا نام، جیسا نمائندہ دیکھے گا؟
rep-sms-ask-text = اب اپنے الفاظ میں پیغام لکھیں (کم از کم { $min } حروف)، جتنے پیغامات میں چاہیں۔ مکمل ہونے پر DONE بھیجیں۔
rep-sms-more = مل گیا (اب تک { $n } حروف)۔ مزید لکھیں، یا DONE بھیجیں۔
rep-sms-too-short = آپ کے پیغام میں { $n } حروف ہیں؛ کم از کم { $min } لکھیں، پھر DONE بھیجیں۔
rep-sms-too-long = آپ کا پیغام { $max } حروف سے لمبا ہو جائے گا۔ مکمل کرنے کو DONE بھیجیں۔
rep-sms-confirm = بنام { $rep }: "{ $start }..." ({ $n } حروف)۔ بھیجنے کو YES، منسوخ کرنے کو NO۔
rep-sms-cancelled = منسوخ: کچھ نہیں بھیجا گیا۔
rep-sms-yes-no = YES یا NO بھیجیں۔
rep-sms-expired = آپ کا نامکمل پیغام ایک دن سے پرانا تھا اور ہٹا دیا گیا۔ دوبارہ شروع کرنے کو کلیدی لفظ بھیجیں۔
rep-sms-ask-yes-no = دو ہفتے پہلے آپ کا پیغام { $rep } کو گیا۔ کیا انہوں نے جواب دیا؟ YES یا NO بھیجیں۔

feed-pledge-summary = { $target } میں سے { $count } نے دستخط کیے۔
feed-call-summary = { $count } لوگوں نے اندراج کیا۔

call-watch = ویڈیو دیکھیں
call-error-photo-size = تصویر زیادہ سے زیادہ 25 MB ہو سکتی ہے۔ چھوٹی بھیجیں (زیادہ تر فون چھوٹے سائز میں تصویر بھیج سکتے ہیں)۔
call-error-not-media = یہ فائل نہ ایسی تصویر ہے نہ ایسی ویڈیو جو Convene پڑھتا ہے۔ JPEG، PNG، WebP یا HEIC تصویر، یا MP4، MOV یا WebM ویڈیو بھیجیں۔
rep-limit-unconfirmed = آپ کے پیغامات پہلے ہی تصدیق کے منتظر ہیں: نیا لکھنے سے پہلے بھیجا گیا لنک کھولیں یا کوڈ لکھیں۔
