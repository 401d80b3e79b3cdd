# Convene — اردو
skip-to-content = مواد پر جائیں
nav-label = مرکزی
nav-home = سرورق
nav-login = لاگ اِن
nav-logout = لاگ آؤٹ
nav-space = اسپیس
lang-label = زبان
footer = Convene — امن کے عمل کو آگے بڑھانے والوں کے لیے اوپن سورس اوزار۔
light-turn-on = کنکشن سست ہے؟ تصویروں کی جگہ چھوٹے پیش منظر دکھائیں
light-is-on = ہلکا موڈ چالو ہے: تصویریں لنک کے ساتھ چھوٹے پیش منظر کے طور پر دکھتی ہیں۔
light-turn-off = تصویریں دکھائیں
media-error-upload-size = تصویر زیادہ سے زیادہ {"\u2066"}{ $mb } MB{"\u2069"} کی ہو سکتی ہے۔ چھوٹی تصویر بھیجیں (زیادہ تر فون تصویر کو چھوٹے سائز میں بھیج سکتے ہیں)۔
media-error-video-size = ویڈیو زیادہ سے زیادہ {"\u2066"}{ $mb } MB{"\u2069"} کی ہو سکتی ہے۔ چھوٹی ویڈیو بھیجیں، یا کم معیار پر ریکارڈ کی ہوئی۔

error-title = کچھ غلط ہو گیا
error-400 = درخواست سمجھ میں نہیں آئی۔ براہِ کرم اپنا اندراج دیکھ کر دوبارہ کوشش کریں۔
error-403 = آپ کو یہ کرنے کی اجازت نہیں۔
error-404 = یہاں کچھ نہیں ہے، یا آپ اسے نہیں دیکھ سکتے۔
error-413 = آپ نے جو بھیجا وہ بہت بڑا ہے۔
error-429 = بہت زیادہ کوششیں۔ چند منٹ انتظار کر کے دوبارہ کوشش کریں۔
error-500 = ہماری طرف کچھ خرابی ہوئی۔ اسے درج کر لیا گیا ہے؛ براہِ کرم بعد میں کوشش کریں۔
upload-too-slow = اس فائل کو پڑھنے میں بہت دیر لگی: یہ اس سے بڑی یا پیچیدہ ہے جتنی Convene پڑھتا ہے۔ اسے چھوٹی فائلوں میں تقسیم کر کے دوبارہ کوشش کریں۔
upload-unreadable = یہ فائل پڑھی نہیں جا سکی۔ دیکھیں کہ یہ مطلوبہ قسم کی فائل ہے اور دوبارہ کوشش کریں۔
form-has-errors = براہِ کرم یہ درست کریں:

error-email = درست ای میل پتہ درج کریں۔
error-password-length = پاس ورڈ میں 10 سے 200 حروف ہونے چاہییں۔
error-required = یہ خانہ ضروری ہے۔
error-too-long = یہ بہت لمبا ہے۔
error-date = تاریخ YYYY-MM-DD کی صورت میں درج کریں۔
error-track = 1 سے 9 تک کوئی ٹریک چنیں۔
error-phone = 6 سے 15 ہندسوں کا فون نمبر درج کریں۔
error-invalid = یہ قدر درست نہیں۔
error-slug = 1 سے 60 تک چھوٹے انگریزی حروف، ہندسے اور ڈیش استعمال کریں۔
error-slug-taken = یہ پتہ پہلے سے استعمال میں ہے۔
error-no-such-user = اس ای میل پتے کا کوئی اکاؤنٹ نہیں۔
error-last-owner = ہر اسپیس کا کم از کم ایک مالک ہونا چاہیے۔
error-threshold = حد 5 سے کم نہیں ہو سکتی۔
error-login-failed = ای میل پتہ یا پاس ورڈ درست نہیں۔
error-code = یہ کوڈ درست نہیں۔ تازہ ترین کوڈ یا بحالی کوڈ آزمائیں۔

home-title = اسپیسز
home-intro = ہر اسپیس ایک عمل ہے: امن کا عمل، مکالمے کا سلسلہ، یا کسی اتحاد کی کارگاہ۔
home-no-spaces = ابھی کوئی ایسی اسپیس نہیں جو آپ دیکھ سکیں۔
space-public = عوامی اسپیس
space-closed = بند اسپیس (صرف اراکین)
space-chatham = چیٹم ہاؤس اصول: شراکتیں نام کے بغیر دکھائی جاتی ہیں
space-new = نئی اسپیس
space-public-explained = عوامی: عوامی نشان زدہ ریکارڈ ہر کوئی پڑھ سکتا ہے۔
space-closed-explained = بند: صرف اراکین داخل ہو سکتے ہیں۔
space-totp-needed = اس اسپیس میں منتظمین کے لیے دوسرا مرحلہ (ٹو فیکٹر) لازمی ہے۔ جب تک آپ اسے فعال نہ کریں، آپ رکن کی حیثیت سے کام کریں گے۔
your-role = آپ کا کردار

role-owner = مالک
role-organiser = منتظم
role-analyst = تجزیہ کار
role-focal-point = فوکل پرسن
role-member = رکن
role-none = اسپیس سے نکالیں

field-name = نام
field-slug = ویب پتہ
field-slug-hint = چھوٹے انگریزی حروف، ہندسے اور ڈیش، مثلاً valley-dialogue۔
field-description = تفصیل
field-visibility = کون داخل ہو سکتا ہے
field-email = ای میل پتہ
field-password = پاس ورڈ
field-role = کردار
field-title = عنوان
field-body = متن
field-level = یہ کون دیکھ سکتا ہے
field-level-hint = عوامی: جو بھی اسپیس پڑھ سکے۔ اراکین: اس اسپیس کے اراکین۔ منتظمین: منتظمین اور مالکان۔ صرف نامزد افراد: آپ اور وہ لوگ جن کے نام آپ دیں۔
field-named = نامزد افراد
field-named-emails = نامزد افراد (ای میل پتے، کوما سے الگ)
field-locality = علاقہ
field-starts-on = تاریخ
field-track = ٹریک
field-phone = فون نمبر
field-author = مصنف
field-created = درج کیا گیا
field-contact-label = وضاحت (یہاں نام نہ لکھیں: مثلاً تجارتی نمائندہ، کراچی)
author-hidden = ظاہر نہیں (چیٹم ہاؤس اصول)
contact-encrypted-hint = نام، ای میل اور فون خفیہ کاری کے ساتھ محفوظ ہوتے ہیں۔

action-create = بنائیں
action-save = محفوظ کریں
action-add = شامل کریں
action-export = CSV میں برآمد کریں

login-title = لاگ اِن
login-submit = لاگ اِن کریں
totp-title = دوسرا مرحلہ
totp-code = تصدیقی ایپ سے کوڈ
totp-code-hint = چھ ہندسے، یا آپ کے بحالی کوڈز میں سے ایک۔

account-title = آپ کا اکاؤنٹ
totp-section = دوسرا مرحلہ (تصدیقی ایپ)
totp-is-on = آپ کے اکاؤنٹ پر دوسرا مرحلہ فعال ہے۔
totp-is-off = دوسرا مرحلہ بند ہے۔ پاس ورڈ افشا ہونے کی صورت میں اکاؤنٹ کی حفاظت کے لیے اسے فعال کریں۔
totp-start = دوسرا مرحلہ ترتیب دیں
totp-setup-intro = یہ کلید اپنی تصدیقی ایپ میں شامل کریں، پھر ایپ میں دکھایا گیا کوڈ درج کریں۔
error-totp-turn-off-first = دوسرا مرحلہ آن ہے۔ نیا آلہ استعمال کرنے کے لیے پہلے اپنے پاس ورڈ اور کوڈ سے اسے بند کریں۔
error-totp-required-by-space = آپ جس جگہ کے منتظم ہیں وہ دوسرا مرحلہ لازم کرتی ہے: منتظم رہتے ہوئے اسے بند نہیں کیا جا سکتا۔
error-password-wrong = یہ پاس ورڈ درست نہیں ہے۔
totp-off-intro = دوسرا مرحلہ بند کرنے کے لیے اپنا پاس ورڈ اور موجودہ کوڈ (یا بحالی کوڈ) درج کریں۔ آپ کے بحالی کوڈ مٹا دیے جائیں گے۔
totp-off = بند کریں
totp-confirm = فعال کریں
totp-enabled-now = دوسرا مرحلہ اب فعال ہے۔
totp-recovery-intro = یہ بحالی کوڈ کسی محفوظ جگہ رکھیں۔ فون گم ہونے پر ہر کوڈ ایک بار کام کرتا ہے۔ یہ دوبارہ نہیں دکھائے جائیں گے۔
sessions-section = سیشن
logout-everywhere = ہر جگہ سے لاگ آؤٹ کریں

members-title = اراکین
members-set-role = رکن شامل کریں یا کردار بدلیں
audit-title = آڈٹ لاگ
audit-intro = اس اسپیس کی ہر حساس کارروائی، تازہ ترین پہلے۔ لاگ زنجیر کی صورت میں ہے: کسی اندراج میں ترمیم یا حذف کا پتہ چل جاتا ہے۔
audit-when = کب
audit-who = کس نے
audit-action = کارروائی
audit-target = ریکارڈ
audit-detail = تفصیل
settings-title = ترتیبات
settings-chatham = چیٹم ہاؤس اصول: کبھی ظاہر یا برآمد نہ کریں کہ کس نے کیا لکھا
settings-require-totp = منتظمین کے لیے دوسرا مرحلہ لازمی ہو
settings-threshold = شائع شدہ اعداد میں دکھایا جانے والا سب سے چھوٹا گروہ

search-label = تلاش
search-submit = تلاش کریں
search-results = تلاش کے نتائج
records-count = { $count } ریکارڈ
records-none = ابھی یہاں کچھ نہیں۔
pager-label = صفحات
pager-prev = پچھلا
pager-next = اگلا

kind-concerns = مشترکہ خدشات
kind-activities = سرگرمیاں
kind-contacts = رابطے

level-public = عوامی
level-members = اراکین
level-organisers = منتظمین
level-named = صرف نامزد افراد

track-1 = 1 · سرکاری سفارت کاری
track-2 = 2 · پیشہ ورانہ تنازع حل
track-3 = 3 · تجارت
track-4 = 4 · شہری تبادلے
track-5 = 5 · تحقیق، تربیت اور تعلیم
track-6 = 6 · سرگرمی (ایکٹیوزم)
track-7 = 7 · مذہب
track-8 = 8 · مالی معاونت
track-9 = 9 · رائے عامہ اور ذرائع ابلاغ
error-datetime = تاریخ اور وقت درج کریں، مثلاً 2026-12-15 09:30۔
error-time-zone = ٹائم زون کا نام درج کریں، مثلاً Asia/Karachi یا Europe/Paris۔
activity-error-ends = اختتام آغاز کے بعد ہونا چاہیے۔
activity-error-venue = جگہ درج کریں، یا سرگرمی کو آن لائن نشان زد کریں۔
activity-error-capacity = 1 یا زیادہ نشستوں کی تعداد درج کریں، یا بغیر حد کے لیے خالی چھوڑ دیں۔
activity-error-place = جگہ کے گزیٹیئر سے ایک مقام منتخب کریں۔
activity-error-contact = فون نمبر یا ای میل پتا دیں، یا "صرف گنتی" منتخب کریں۔
invite-title = دعوت نامے
invite-lead = دعوت نامہ ایک لنک ہے جو ایک فرد کو کسی کردار کے ساتھ اس جگہ میں لاتا ہے: یہ ایک بار کام کرتا ہے اور اس کی میعاد ختم ہو جاتی ہے۔ وہ فرد سائن ان کرتا ہے، یا پاس ورڈ رکھ کر اپنا اکاؤنٹ بناتا ہے۔ کوئی لاگ ان شیئر نہیں کرتا۔
invite-made = دعوت نامے کا لنک، جو صرف ابھی دکھایا جا رہا ہے۔ اسے کسی قابل اعتماد ذریعے سے اس فرد کو بھیجیں:
invite-org = اس تنظیم کی جانب سے
invite-days = میعاد ختم ہونے سے پہلے دن (1 سے 30)
invite-label = کس کے لیے (منتظمین کے لیے نوٹ)
invite-make = لنک بنائیں
invite-list = بنائے گئے دعوت نامے
invite-none = ابھی کوئی دعوت نامہ نہیں۔
invite-expires = میعاد ختم
invite-state = حالت
invite-state-open = کھلا
invite-state-used = استعمال شدہ
invite-state-expired = میعاد ختم
invite-state-revoked = منسوخ
invite-revoke = منسوخ کریں
invite-to = آپ کو دعوت دی گئی ہے
invite-role = کردار
invite-once = یہ لنک ایک بار کام کرتا ہے۔
invite-as = بطور سائن ان
invite-accept = شامل ہوں
invite-new-account = اپنا اکاؤنٹ بنائیں
invite-have-account = میرا اکاؤنٹ پہلے سے ہے: پہلے سائن ان کریں
invite-ask-again = جن منتظمین نے آپ کو دعوت دی ان سے نیا لنک مانگیں۔
invite-home = سرورق
invite-error-unknown = یہ دعوتی لنک معلوم نہیں۔ دیکھیں کہ پورا نقل ہوا ہے۔
invite-error-used = یہ دعوت نامہ پہلے ہی استعمال ہو چکا ہے۔
invite-error-expired = اس دعوت نامے کی میعاد ختم ہو چکی ہے۔
invite-error-revoked = منتظمین نے یہ دعوت نامہ منسوخ کر دیا۔
invite-error-days = دعوت نامہ 1 سے 30 دن تک رہتا ہے۔
invite-error-has-account = اس ای میل پتے کا اکاؤنٹ موجود ہے: پہلے سائن ان کریں، پھر لنک دوبارہ کھولیں۔
invite-email = لنک اس ای میل پتے پر بھیجیں (اختیاری)
invite-email-hint = پیغام اس سرور کے آؤٹ باکس سے جاتا ہے۔ پتے کے بغیر، لنک خود کاپی کریں۔
invite-mailed = دعوت نامہ دیے گئے پتے پر ای میل سے بھیجا جا رہا ہے۔ لنک یہاں بھی، صرف ابھی، دکھایا گیا ہے:
invite-error-mail-off = یہ سرور ای میل نہیں بھیجتا: لنک بنا کر خود بھیجیں، یا سرور چلانے والے سے smtp_url، mail_from اور public_url مقرر کرنے کو کہیں۔
invite-mail-subject = { $space } میں شمولیت کی دعوت
invite-mail-body = { $inviter } آپ کو Convene پر "{ $space }" میں بطور { $role } شامل ہونے کی دعوت دیتے ہیں۔

    قبول کرنے کے لیے یہ لنک کھولیں۔ یہ ایک بار کام کرتا ہے اور { $days } دن میں ختم ہو جاتا ہے:

    { $link }

    اگر آپ کو اس دعوت کی توقع نہیں تھی تو اس پیغام کو نظر انداز کریں: لنک کھولے بغیر کچھ نہیں ہوتا۔
members-invite = لنک کے ذریعے دعوت دیں
