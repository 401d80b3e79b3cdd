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
media-photo-file = تصویر (JPEG، PNG، WebP یا HEIC، زیادہ سے زیادہ { $mb } MB)
media-photo-file-hint = ہر تصویر کو سیدھا کر کے نئے سرے سے محفوظ کیا جاتا ہے: کچھ بھی محفوظ کرنے سے پہلے اس کا مقام، کیمرا اور وقت کی معلومات ہٹا دی جاتی ہیں۔
media-alt = تصویر کو ان لوگوں کے لیے بیان کریں جو اسے دیکھ نہیں سکتے (ضروری)
media-alt-hint = یہ کیا دکھاتی ہے، ایک جملے میں، اپ ڈیٹ کی زبان میں۔ اسکرین ریڈر اسے پڑھتے ہیں، اور سست کنکشن والے قارئین تصویر کھولنے سے پہلے اسے دیکھتے ہیں۔
media-upload = تصویر شامل کریں
media-remove = تصویر ہٹائیں
media-added = تصویر شامل ہو گئی۔
media-view-photo = تصویر دیکھیں ({ $kb } KB)
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
media-video-file = ویڈیو (MP4، MOV یا WebM، زیادہ سے زیادہ { $mb } MB اور 10 منٹ)
media-video-file-hint = محفوظ کرنے سے پہلے اس کا مقام، آلے اور وقت کی معلومات ہٹا دی جاتی ہیں؛ سست کنکشن کے لیے کم معیار کا نسخہ چند منٹ میں بن جاتا ہے۔
media-video-alt = ویڈیو کو ان لوگوں کے لیے بیان کریں جو اسے دیکھ یا سن نہیں سکتے (ضروری)
media-video-upload = ویڈیو شامل کریں
media-watch-low = دیکھیں، کم معیار ({ $kb } KB)
media-watch-full = دیکھیں، پورا معیار ({ $kb } KB)
media-video-low-pending = سست کنکشن کے لیے کم معیار کا نسخہ بن رہا ہے۔
media-error-not-video = یہ فائل ایسی ویڈیو نہیں جسے Convene پڑھ سکے۔ MP4، MOV یا WebM ویڈیو بھیجیں۔
media-error-video-damaged = یہ ویڈیو خراب ہے یا بھیجتے ہوئے ادھوری رہ گئی۔ دوبارہ بھیجیں۔
media-error-video-long = یہ ویڈیو 10 منٹ سے لمبی ہے۔ چھوٹی ویڈیو بھیجیں۔
media-error-video-unavailable = اس سرور پر ویڈیو پر کارروائی نہیں ہو سکتی (ffmpeg نصب نہیں)۔ تصویریں شامل کی جا سکتی ہیں۔
media-error-video-missing = بھیجنے کے لیے ویڈیو منتخب کریں۔
pledge-map-caption = ضلع وار دستخط کنندگان، جیسے جدول میں: جتنا گہرا رنگ، اتنے زیادہ دستخط کنندگان۔ دھاری دار اضلاع میں دستخط کنندگان ہیں جن کی تعداد چھپائی گئی ہے۔
pledge-map-none = کوئی نہیں
pledge-map-hidden = چھپایا گیا
