"""Name pools for made-up migrants, per nationality (ISO 3166-1 alpha-3).

Every name is a common one in that country, written as people there write it (Arabic
script for Iraq and Syria, Dari/Pashto in Arabic script for Afghanistan, Georgian script,
Ukrainian Cyrillic) with the Latin spelling usually seen on travel documents and in
host-country files. West African names are Latin only.

Lines read `Latin = original`; a Latin-only pool is one name per line. Family names
that change with sex read `male Latin = male original / female Latin = female original`.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Name:
    latin: str
    original: str = ""


@dataclass(frozen=True)
class FamilyName:
    male: Name
    female: Name


@dataclass(frozen=True)
class Pool:
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    family: tuple[FamilyName, ...]
    # Spoken languages (ISO 639-3) with weights: the first code is the main language.
    languages: tuple[tuple[tuple[str, ...], int], ...]
    # Where returnees go: provinces, governorates or regions of the country.
    areas: tuple[str, ...]
    # Share of people with no family name (common in Afghanistan).
    no_family_name: float = 0.0
    # Share whose exact date of birth is unknown and recorded as 1 January, approximate.
    approximate_dob: float = 0.1
    # Other spellings users type: Latin name -> aliases.
    aliases: dict[str, str] = field(default_factory=dict)


def _names(text: str) -> tuple[Name, ...]:
    out = []
    for line in text.strip().splitlines():
        latin, _sep, original = (part.strip() for part in line.partition("="))
        out.append(Name(latin, original))
    return tuple(out)


def _families(text: str) -> tuple[FamilyName, ...]:
    out = []
    for line in text.strip().splitlines():
        male, _sep, female = (part.strip() for part in line.partition("/"))
        m = _names(male)[0]
        f = _names(female)[0] if female else m
        out.append(FamilyName(m, f))
    return tuple(out)


IRAQ = Pool(
    male=_names("""
        Ahmed = أحمد
        Mohammed = محمد
        Ali = علي
        Hussein = حسين
        Hassan = حسن
        Omar = عمر
        Mustafa = مصطفى
        Abbas = عباس
        Haider = حيدر
        Karim = كريم
        Ibrahim = إبراهيم
        Yousif = يوسف
        Khalid = خالد
        Saad = سعد
        Ammar = عمار
        Mahmoud = محمود
        Salam = سلام
        Falah = فلاح
        Qasim = قاسم
        Kadhim = كاظم
        Muntadhar = منتظر
        Zaid = زيد
        Tariq = طارق
        Sajjad = سجاد
        Mohanad = مهند
        Layth = ليث
        Raad = رعد
        Nabil = نبيل
        Walid = وليد
        Murtadha = مرتضى
        Hamza = حمزة
        Salah = صلاح
        Adnan = عدنان
        Iyad = إياد
        Firas = فراس
        Amjad = أمجد
        Uday = عدي
        Wissam = وسام
    """),
    female=_names("""
        Fatima = فاطمة
        Zainab = زينب
        Maryam = مريم
        Noor = نور
        Sara = سارة
        Huda = هدى
        Aya = آية
        Rusul = رسل
        Zahraa = زهراء
        Hawraa = حوراء
        Shahad = شهد
        Ruqayya = رقية
        Asmaa = أسماء
        Layla = ليلى
        Samira = سميرة
        Suha = سهى
        Iman = إيمان
        Hanan = حنان
        Rana = رنا
        Dalia = داليا
        Amal = أمل
        Khadija = خديجة
        Sundus = سندس
        Nadia = نادية
        Wafaa = وفاء
        Israa = إسراء
        Marwa = مروة
        Duaa = دعاء
        Hiba = هبة
        Sahar = سحر
        Ghufran = غفران
    """),
    family=_families("""
        Al-Jubouri = الجبوري
        Al-Dulaimi = الدليمي
        Al-Obaidi = العبيدي
        Al-Tamimi = التميمي
        Al-Shammari = الشمري
        Al-Zubaidi = الزبيدي
        Al-Saadi = الساعدي
        Al-Musawi = الموسوي
        Al-Hashimi = الهاشمي
        Al-Maliki = المالكي
        Al-Rubaie = الربيعي
        Al-Khafaji = الخفاجي
        Al-Janabi = الجنابي
        Al-Azzawi = العزاوي
        Al-Ani = العاني
        Al-Bayati = البياتي
        Al-Hakim = الحكيم
        Al-Kubaisi = الكبيسي
        Al-Samarrai = السامرائي
        Al-Mashhadani = المشهداني
        Al-Lami = اللامي
        Al-Asadi = الأسدي
        Al-Fartousi = الفرطوسي
        Al-Kaabi = الكعبي
        Al-Bahadli = البهادلي
        Al-Husseini = الحسيني
        Al-Qaisi = القيسي
        Al-Rawi = الراوي
        Al-Hilali = الهلالي
        Al-Ameri = العامري
        Al-Daraji = الدراجي
        Al-Jaf = الجاف
    """),
    languages=((("arb",), 70), (("arb", "ckb"), 12), (("ckb", "arb"), 10), (("arb", "eng"), 8)),
    areas=("Baghdad", "Basra", "Ninewa", "Erbil", "Sulaymaniyah", "Kirkuk", "Najaf",
           "Karbala", "Anbar", "Diyala", "Duhok", "Babylon"),
    approximate_dob=0.08,
    aliases={"Mohammed": "Muhammad, Mohamed, Mohammad", "Hussein": "Husain, Hussain",
             "Yousif": "Yusuf, Youssef", "Ahmed": "Ahmad", "Kadhim": "Kazim, Kathem",
             "Al-Jubouri": "Al-Juburi, Aljbouri", "Al-Musawi": "Al-Moussawi"},
)

SYRIA = Pool(
    male=_names("""
        Mohammad = محمد
        Ahmad = أحمد
        Abdullah = عبد الله
        Omar = عمر
        Khaled = خالد
        Mahmoud = محمود
        Yaser = ياسر
        Bilal = بلال
        Fadi = فادي
        Rami = رامي
        Samer = سامر
        Hussam = حسام
        Anas = أنس
        Moutaz = معتز
        Bassel = باسل
        Majd = مجد
        Ghaith = غيث
        Hamza = حمزة
        Tamer = تامر
        Wael = وائل
        Ayham = أيهم
        Mazen = مازن
        Ziad = زياد
        Nizar = نزار
        Rabih = ربيع
        Osama = أسامة
        Obada = عبادة
        Qusai = قصي
        Yamen = يامن
        Hadi = هادي
        Louay = لؤي
    """),
    female=_names("""
        Rasha = رشا
        Lama = لمى
        Rana = رنا
        Hala = هالة
        Nour = نور
        Yara = يارا
        Reem = ريم
        Alaa = آلاء
        Ghada = غادة
        Dima = ديمة
        Heba = هبة
        Lina = لينا
        Maya = مايا
        Razan = رزان
        Ruba = ربى
        Safaa = صفاء
        Salma = سلمى
        Rawan = روان
        Bayan = بيان
        Amira = أميرة
        Mais = ميس
        Nada = ندى
        Fatima = فاطمة
        Hanadi = هنادي
        Widad = وداد
        Kholoud = خلود
        Sawsan = سوسن
        Manal = منال
        Jana = جنى
        Aya = آية
    """),
    family=_families("""
        Al-Halabi = الحلبي
        Al-Homsi = الحمصي
        Al-Shami = الشامي
        Al-Masri = المصري
        Haddad = حداد
        Khoury = خوري
        Al-Ahmad = الأحمد
        Al-Hussein = الحسين
        Al-Ali = العلي
        Al-Khatib = الخطيب
        Al-Sayed = السيد
        Kassem = قاسم
        Al-Hamwi = الحموي
        Darwish = درويش
        Al-Najjar = النجار
        Al-Zoubi = الزعبي
        Al-Hariri = الحريري
        Barakat = بركات
        Shaheen = شاهين
        Al-Rifai = الرفاعي
        Al-Kurdi = الكردي
        Al-Jasem = الجاسم
        Al-Hammoud = الحمود
        Al-Abdullah = العبدالله
        Mansour = منصور
        Al-Omar = العمر
        Suleiman = سليمان
        Al-Mohammad = المحمد
        Al-Saleh = الصالح
        Othman = عثمان
        Al-Deiri = الديري
        Qabbani = قباني
        Al-Attar = العطار
    """),
    languages=((("arb",), 70), (("apc", "arb"), 15), (("arb", "kmr"), 10), (("arb", "eng"), 5)),
    areas=("Damascus", "Rural Damascus", "Aleppo", "Homs", "Hama", "Latakia", "Daraa",
           "Tartus", "Idlib", "Deir ez-Zor"),
    approximate_dob=0.08,
    aliases={"Mohammad": "Muhammad, Mohamed, Mohammed", "Khaled": "Khalid",
             "Yaser": "Yasser, Yasir", "Khoury": "Khouri, Khuri", "Kassem": "Qassem, Qasim"},
)

AFGHANISTAN = Pool(
    male=_names("""
        Ahmad = احمد
        Mohammad = محمد
        Abdul Rahman = عبدالرحمن
        Abdullah = عبدالله
        Ali = علی
        Hamid = حمید
        Farid = فرید
        Jawad = جواد
        Karim = کریم
        Mahmood = محمود
        Nasir = ناصر
        Omid = امید
        Qadir = قادر
        Rahim = رحیم
        Sayed = سید
        Shafiq = شفیق
        Wahid = وحید
        Zabihullah = ذبیح‌الله
        Najibullah = نجیب‌الله
        Hekmatullah = حکمت‌الله
        Rahmatullah = رحمت‌الله
        Mirwais = میرویس
        Noorullah = نورالله
        Habib = حبیب
        Khalil = خلیل
        Ismail = اسماعیل
        Baryalai = بریالی
        Gul Ahmad = گل احمد
        Hamidullah = حمیدالله
        Jamshid = جمشید
        Sohrab = سهراب
        Fawad = فواد
        Javid = جاوید
        Masoud = مسعود
        Samiullah = سمیع‌الله
        Ehsan = احسان
        Bashir = بشیر
        Zalmai = زلمی
    """),
    female=_names("""
        Fatima = فاطمه
        Zahra = زهرا
        Maryam = مریم
        Masooma = معصومه
        Nargis = نرگس
        Parwana = پروانه
        Shabnam = شبنم
        Freshta = فرشته
        Mursal = مرسل
        Zarghona = زرغونه
        Malalai = ملالی
        Sadia = سعدیه
        Laila = لیلا
        Mahbooba = محبوبه
        Nazia = نازیه
        Roya = رویا
        Sima = سیما
        Gulalai = گلالی
        Hamida = حمیده
        Farzana = فرزانه
        Khadija = خدیجه
        Soraya = ثریا
        Tahmina = تهمینه
        Wahida = وحیده
        Zakia = ذکیه
        Arzo = آرزو
        Sahar = سحر
        Marzia = مرضیه
        Nilofar = نیلوفر
        Habiba = حبیبه
        Shakila = شکیله
    """),
    family=_families("""
        Ahmadi = احمدی
        Mohammadi = محمدی
        Hussaini = حسینی
        Rahimi = رحیمی
        Karimi = کریمی
        Hakimi = حکیمی
        Popal = پوپل
        Durrani = درانی
        Wardak = وردک
        Stanikzai = ستانکزی
        Amiri = امیری
        Sultani = سلطانی
        Hashimi = هاشمی
        Noori = نوری
        Safi = صافی
        Mangal = منگل
        Jalali = جلالی
        Nazari = نظری
        Sharifi = شریفی
        Rezaei = رضایی
        Haidari = حیدری
        Azizi = عزیزی
        Sadat = سادات
        Habibi = حبیبی
        Yousufzai = یوسفزی
        Rasuli = رسولی
        Qaderi = قادری
        Jafari = جعفری
        Samadi = صمدی
        Niazi = نیازی
        Ghafoori = غفوری
        Sherzad = شیرزاد
        Hotak = هوتک
        Momand = مومند
    """),
    languages=((("prs",), 45), (("pus",), 25), (("pus", "prs"), 15), (("haz", "prs"), 10),
               (("uzb", "prs"), 5)),
    areas=("Kabul", "Herat", "Balkh", "Nangarhar", "Kandahar", "Ghazni", "Kunduz", "Bamyan",
           "Baghlan", "Laghman"),
    no_family_name=0.15,
    approximate_dob=0.45,
    aliases={"Mohammad": "Muhammad, Mohammed", "Mahmood": "Mahmud, Mahmoud",
             "Masooma": "Masuma, Massoumeh", "Hussaini": "Hosseini, Husaini",
             "Rezaei": "Rezai, Rezayee", "Noori": "Nuri"},
)

NIGERIA = Pool(
    male=_names("""
        Chinedu
        Emeka
        Oluwaseun
        Tunde
        Ibrahim
        Musa
        Abubakar
        Yusuf
        Adebayo
        Babatunde
        Obinna
        Ikechukwu
        Nnamdi
        Uchenna
        Chukwuemeka
        Olumide
        Segun
        Femi
        Kehinde
        Taiwo
        Sani
        Aliyu
        Godwin
        Samuel
        Emmanuel
        Joseph
        Victor
        Friday
        Sunday
        Kingsley
        Osagie
        Efosa
        Osaro
        Ifeanyi
        Ayodele
        Abdullahi
    """),
    female=_names("""
        Chioma
        Ngozi
        Adaeze
        Amaka
        Funmilayo
        Folake
        Aisha
        Fatima
        Hauwa
        Zainab
        Blessing
        Grace
        Joy
        Precious
        Mercy
        Favour
        Esther
        Patience
        Osas
        Efe
        Omosede
        Yetunde
        Bukola
        Temitope
        Nkechi
        Ifeoma
        Halima
        Hadiza
        Amina
        Comfort
        Gift
        Deborah
    """),
    family=_families("""
        Okafor
        Okonkwo
        Eze
        Nwosu
        Obi
        Adeyemi
        Ogunleye
        Bakare
        Adewale
        Balogun
        Abubakar
        Bello
        Danjuma
        Ibrahim
        Usman
        Lawal
        Osagie
        Osaghae
        Igbinedion
        Omoregie
        Ehigiator
        Aigbe
        Edobor
        Idahosa
        Okoro
        Uzor
        Chukwu
        Ogbonna
        Nnadi
        Obasi
        Akinola
        Adeleke
        Ajayi
        Eboigbe
        Ogiemwonyi
    """),
    languages=((("eng", "pcm"), 30), (("bin", "eng"), 25), (("yor", "eng"), 18),
               (("ibo", "eng"), 15), (("hau", "eng"), 12)),
    areas=("Edo", "Lagos", "Delta", "Ogun", "Oyo", "Kano", "Anambra", "Imo", "Kaduna",
           "Enugu"),
    approximate_dob=0.12,
    aliases={"Oluwaseun": "Seun", "Chukwuemeka": "Emeka", "Osagie": "Osagiede"},
)

GEORGIA = Pool(
    male=_names("""
        Giorgi = გიორგი
        Davit = დავით
        Levan = ლევან
        Irakli = ირაკლი
        Nika = ნიკა
        Luka = ლუკა
        Zurab = ზურაბ
        Giga = გიგა
        Lasha = ლაშა
        Tornike = თორნიკე
        Beka = ბექა
        Sandro = სანდრო
        Mikheil = მიხეილ
        Aleksandre = ალექსანდრე
        Tamaz = თამაზ
        Gela = გელა
        Koba = კობა
        Shota = შოთა
        Vakhtang = ვახტანგ
        Otar = ოთარ
        Gocha = გოჩა
        Mamuka = მამუკა
        Zaza = ზაზა
        Revaz = რევაზ
        Nodar = ნოდარ
        Archil = არჩილ
        Badri = ბადრი
        Temur = თემურ
        Merab = მერაბ
        Vano = ვანო
    """),
    female=_names("""
        Nino = ნინო
        Tamar = თამარ
        Mariam = მარიამ
        Ana = ანა
        Eka = ეკა
        Ketevan = ქეთევან
        Natia = ნათია
        Salome = სალომე
        Sopho = სოფო
        Nana = ნანა
        Maia = მაია
        Lela = ლელა
        Manana = მანანა
        Teona = თეონა
        Khatuna = ხათუნა
        Irma = ირმა
        Lali = ლალი
        Tinatin = თინათინ
        Elene = ელენე
        Nato = ნატო
        Marina = მარინა
        Lika = ლიკა
        Nanuli = ნანული
        Keti = ქეთი
        Tea = თეა
        Mzia = მზია
        Inga = ინგა
        Gvantsa = გვანცა
        Medea = მედეა
        Ia = ია
    """),
    family=_families("""
        Beridze = ბერიძე
        Kapanadze = კაპანაძე
        Gelashvili = გელაშვილი
        Maisuradze = მაისურაძე
        Giorgadze = გიორგაძე
        Lomidze = ლომიძე
        Tsiklauri = წიკლაური
        Bolkvadze = ბოლქვაძე
        Kvaratskhelia = კვარაცხელია
        Nozadze = ნოზაძე
        Abashidze = აბაშიძე
        Khutsishvili = ხუციშვილი
        Natsvlishvili = ნაცვლიშვილი
        Japaridze = ჯაფარიძე
        Tsereteli = წერეთელი
        Chkheidze = ჩხეიძე
        Gogoladze = გოგოლაძე
        Kiknadze = კიკნაძე
        Mchedlishvili = მჭედლიშვილი
        Dolidze = დოლიძე
        Kharaishvili = ხარაიშვილი
        Mikadze = მიქაძე
        Tabatadze = ტაბატაძე
        Gabunia = გაბუნია
        Shengelia = შენგელია
        Kobakhidze = კობახიძე
        Chikovani = ჩიქოვანი
        Tsintsadze = ცინცაძე
        Papava = პაპავა
        Shonia = შონია
        Chanturia = ჭანტურია
        Kakabadze = კაკაბაძე
        Melikishvili = მელიქიშვილი
        Lortkipanidze = ლორთქიფანიძე
    """),
    languages=((("kat",), 55), (("kat", "rus"), 35), (("kat", "eng"), 10)),
    areas=("Tbilisi", "Imereti", "Kvemo Kartli", "Adjara", "Samegrelo-Zemo Svaneti",
           "Kakheti", "Shida Kartli", "Guria"),
    approximate_dob=0.02,
    aliases={"Davit": "David", "Mikheil": "Mikhail, Mikheili", "Giorgi": "Georgi, George"},
)

UKRAINE = Pool(
    male=_names("""
        Oleksandr = Олександр
        Andrii = Андрій
        Serhii = Сергій
        Volodymyr = Володимир
        Dmytro = Дмитро
        Mykola = Микола
        Ivan = Іван
        Yurii = Юрій
        Oleh = Олег
        Vasyl = Василь
        Petro = Петро
        Bohdan = Богдан
        Taras = Тарас
        Maksym = Максим
        Artem = Артем
        Vitalii = Віталій
        Ihor = Ігор
        Roman = Роман
        Viktor = Віктор
        Anatolii = Анатолій
        Pavlo = Павло
        Stepan = Степан
        Yevhen = Євген
        Denys = Денис
        Vadym = Вадим
        Oleksii = Олексій
        Ruslan = Руслан
        Hryhorii = Григорій
        Mykhailo = Михайло
        Kyrylo = Кирило
        Nazar = Назар
    """),
    female=_names("""
        Olena = Олена
        Nataliia = Наталія
        Iryna = Ірина
        Tetiana = Тетяна
        Oksana = Оксана
        Yuliia = Юлія
        Svitlana = Світлана
        Liudmyla = Людмила
        Halyna = Галина
        Kateryna = Катерина
        Mariia = Марія
        Anna = Анна
        Olha = Ольга
        Viktoriia = Вікторія
        Nadiia = Надія
        Larysa = Лариса
        Valentyna = Валентина
        Hanna = Ганна
        Khrystyna = Христина
        Dariia = Дарія
        Sofiia = Софія
        Anastasiia = Анастасія
        Inna = Інна
        Lesia = Леся
        Alina = Аліна
        Oleksandra = Олександра
        Vira = Віра
        Liubov = Любов
        Roksolana = Роксолана
        Yaroslava = Ярослава
    """),
    family=_families("""
        Shevchenko = Шевченко
        Kovalenko = Коваленко
        Bondarenko = Бондаренко
        Tkachenko = Ткаченко
        Kravchenko = Кравченко
        Boiko = Бойко
        Kovalchuk = Ковальчук
        Oliinyk = Олійник
        Shevchuk = Шевчук
        Polishchuk = Поліщук
        Tkachuk = Ткачук
        Melnyk = Мельник
        Moroz = Мороз
        Lysenko = Лисенко
        Marchenko = Марченко
        Rudenko = Руденко
        Savchenko = Савченко
        Petrenko = Петренко
        Kuzmenko = Кузьменко
        Pavlenko = Павленко
        Kravets = Кравець
        Honcharuk = Гончарук
        Vasylenko = Василенко
        Hnatiuk = Гнатюк
        Levchenko = Левченко
        Karpenko = Карпенко
        Zinchenko = Зінченко
        Klymenko = Клименко
        Ponomarenko = Пономаренко
        Romaniuk = Романюк
        Kovalskyi = Ковальський / Kovalska = Ковальська
        Savytskyi = Савицький / Savytska = Савицька
        Hrytsenko = Гриценко
        Zaiets = Заєць
    """),
    languages=((("ukr",), 45), (("ukr", "rus"), 40), (("rus", "ukr"), 15)),
    areas=("Kyiv", "Lviv", "Vinnytsia", "Odesa", "Dnipropetrovsk", "Zakarpattia",
           "Ivano-Frankivsk", "Chernivtsi", "Poltava", "Zhytomyr"),
    approximate_dob=0.0,
    # Many Ukrainians also have Russian spellings of their names in older documents.
    aliases={"Oleksandr": "Aleksandr, Александр", "Andrii": "Andrei, Andriy, Андрей",
             "Serhii": "Sergei, Sergey, Сергей", "Volodymyr": "Vladimir, Владимир",
             "Dmytro": "Dmitrii, Dmitry, Дмитрий", "Mykola": "Nikolai, Николай",
             "Olena": "Elena, Yelena, Елена", "Tetiana": "Tatiana, Tatyana, Татьяна",
             "Nataliia": "Natalia, Natalya, Наталья", "Iryna": "Irina, Ирина",
             "Yurii": "Yuri, Yuriy, Юрий", "Ihor": "Igor, Игорь"},
)

SENEGAL = Pool(
    male=_names("""
        Mamadou
        Moussa
        Ousmane
        Abdoulaye
        Ibrahima
        Cheikh
        Modou
        Serigne
        Babacar
        Amadou
        Aliou
        Mouhamed
        Lamine
        Pape
        Saliou
        Alioune
        Malick
        Souleymane
        Boubacar
        Issa
        Omar
        Demba
        Samba
        Assane
        Djibril
        Fallou
        Khadim
        Ndiaga
        Mbaye
        Idrissa
        Bamba
    """),
    female=_names("""
        Fatou
        Aminata
        Awa
        Mariama
        Khady
        Aïssatou
        Ndèye
        Coumba
        Astou
        Adja
        Binta
        Seynabou
        Dieynaba
        Rokhaya
        Sokhna
        Maïmouna
        Penda
        Ramatoulaye
        Yacine
        Nafissatou
        Khadidiatou
        Fatimata
        Oumou
        Mame Diarra
        Bineta
        Marième
        Ndella
        Aby
        Aïda
        Dior
    """),
    family=_families("""
        Diop
        Ndiaye
        Fall
        Sow
        Ba
        Diallo
        Faye
        Gueye
        Sy
        Cissé
        Sarr
        Mbaye
        Seck
        Niang
        Diouf
        Kane
        Thiam
        Sall
        Touré
        Wade
        Sène
        Dieng
        Ndour
        Camara
        Mbodj
        Lo
        Gaye
        Sylla
        Badji
        Diatta
        Coly
        Sambou
    """),
    languages=((("wol", "fra"), 55), (("fuf", "wol"), 20), (("srr", "wol"), 10),
               (("wol",), 15)),
    areas=("Dakar", "Thiès", "Kolda", "Tambacounda", "Ziguinchor", "Saint-Louis", "Louga",
           "Diourbel", "Kaolack", "Sédhiou"),
    approximate_dob=0.15,
    aliases={"Mouhamed": "Mohamed, Mouhammad", "Cheikh": "Cheick, Sheikh"},
)

GAMBIA = Pool(
    male=_names("""
        Lamin
        Ebrima
        Momodou
        Modou
        Alagie
        Ousman
        Bakary
        Sulayman
        Omar
        Musa
        Abdoulie
        Saikou
        Yankuba
        Buba
        Sheriff
        Kebba
        Malick
        Alieu
        Babucarr
        Ebou
        Fansu
        Sainey
        Kawsu
        Dawda
        Yusupha
        Haruna
        Landing
        Sanna
        Mustapha
        Pa
    """),
    female=_names("""
        Isatou
        Fatou
        Mariama
        Awa
        Haddy
        Kaddy
        Binta
        Jainaba
        Fatoumata
        Ramatoulie
        Ndey
        Aja
        Oley
        Kumba
        Sainabou
        Amie
        Nyima
        Bintou
        Adama
        Aminata
        Mariatou
        Nyimasata
        Kaddijatou
        Neneh
        Sirreh
        Yassin
        Hawa
        Jarra
        Musukebba
        Ida
    """),
    family=_families("""
        Jallow
        Bah
        Ceesay
        Touray
        Sanneh
        Jammeh
        Camara
        Darboe
        Manneh
        Njie
        Sowe
        Jobe
        Drammeh
        Sillah
        Fofana
        Conteh
        Colley
        Sonko
        Bojang
        Jatta
        Sidibeh
        Saidy
        Kinteh
        Barrow
        Faye
        Joof
        Secka
        Krubally
        Marong
        Badjie
    """),
    languages=((("mnk", "eng"), 40), (("wol", "eng"), 25), (("fuf", "mnk"), 20),
               (("snk", "eng"), 10), (("eng",), 5)),
    areas=("Banjul", "Kanifing", "West Coast", "Lower River", "Central River", "Upper River",
           "North Bank"),
    approximate_dob=0.2,
    aliases={"Momodou": "Mamadou, Muhammed", "Ebrima": "Ibrahima", "Ceesay": "Cisse, Sisay"},
)

POOLS: dict[str, Pool] = {
    "IRQ": IRAQ, "SYR": SYRIA, "AFG": AFGHANISTAN, "NGA": NIGERIA, "GEO": GEORGIA,
    "UKR": UKRAINE, "SEN": SENEGAL, "GMB": GAMBIA,
}

# Staff of host and transit offices (origin-office staff take names from POOLS).
STAFF: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "DEU": (("Carla", "Jonas", "Miriam", "Lukas", "Sabine", "Felix", "Katrin", "Tobias",
             "Anna", "Jan", "Leonie", "Matthias"),
            ("Neumann", "Weber", "Schulz", "Fischer", "Becker", "Hoffmann", "Krüger",
             "Wagner", "Richter", "Schröder", "Wolf", "Lange")),
    "NLD": (("Sanne", "Bram", "Lotte", "Daan", "Femke", "Thijs", "Eva", "Ruben", "Noor",
             "Joost", "Anouk", "Pieter"),
            ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder",
             "de Boer", "Bos", "Dekker", "van Dijk", "Hendriks")),
    "GRC": (("Maria", "Nikos", "Eleni", "Kostas", "Sofia", "Giorgos", "Katerina",
             "Dimitris", "Anna", "Yannis", "Despina", "Panagiotis"),
            ("Papadopoulou", "Georgiou", "Dimitriou", "Ioannou", "Nikolaou", "Papadakis",
             "Vlachou", "Karagiannis", "Christodoulou", "Oikonomou", "Pappa", "Makris")),
    "MAR": (("Youssef", "Salma", "Karim", "Nadia", "Hamza", "Imane", "Mehdi", "Sara",
             "Omar", "Laila", "Anas", "Kenza"),
            ("El Amrani", "Benali", "Alaoui", "Bennani", "Tazi", "Idrissi", "Chraibi",
             "Berrada", "Fassi", "Zahraoui", "Ouazzani", "Lahlou")),
    "TUR": (("Elif", "Mehmet", "Zeynep", "Emre", "Ayşe", "Burak", "Fatma", "Can", "Merve",
             "Murat", "Selin", "Kerem"),
            ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın",
             "Arslan", "Doğan", "Kılıç", "Aslan")),
    "NER": (("Abdou", "Mariama", "Ibrahim", "Aïchatou", "Moussa", "Hadiza", "Seydou",
             "Rakiatou", "Issa", "Zeinabou", "Hamidou", "Balkissa"),
            ("Issoufou", "Moussa", "Hamadou", "Souley", "Garba", "Oumarou", "Abdoulaye",
             "Harouna", "Maïga", "Idrissa", "Mahamadou", "Boubacar")),
}
# Any other host country (bulk data) borrows a neighbour's list.
STAFF_FALLBACK = "NLD"
