/// The built-in sample set for `bpe compare`: the same two short paragraphs (written for this
/// project: a library's opening hours, loans, visitors and a rainy-day notice) in 19 languages,
/// plus Python and Swift code, an emoji-heavy chat message and a tab-separated numbers table.
///
/// The parallel texts carry the same content, so their token counts measure each language's
/// "token tax" against English under each encoding.
public enum SampleTexts {
    /// The samples in their canonical order (English first).
    public static let all: [Comparison.Sample] = [
        .init(name: "english", text: """
            The library opens at nine in the morning and closes at six in the evening. Children can borrow up to five books at a time, and adults up to ten. Last year more than 12,000 people visited, and many of them came back every week to read the newspapers, use the computers, or simply sit by the window with a cup of tea.

            Rain is expected tomorrow, so the outdoor reading hour will move to the main hall. Everyone is welcome, and there is no need to register in advance.

            """),
        .init(name: "chinese", text: """
            图书馆早上九点开门，晚上六点关门。儿童一次最多可以借五本书，成人最多可以借十本。去年有超过12,000人来访，其中许多人每周都会回来看报纸、使用电脑，或者只是端着一杯茶坐在窗边。

            明天预计有雨，所以户外阅读时间将改在大厅举行。欢迎所有人参加，无需提前报名。

            """),
        .init(name: "japanese", text: """
            図書館は朝9時に開館し、夕方6時に閉館します。子どもは一度に5冊まで、大人は10冊まで本を借りることができます。昨年は12,000人以上が訪れ、その多くが毎週戻ってきて新聞を読んだり、パソコンを使ったり、ただお茶を片手に窓辺に座ったりしていました。

            明日は雨が予想されるため、屋外での読書の時間はメインホールに移ります。どなたでも参加でき、事前の登録は必要ありません。

            """),
        .init(name: "korean", text: """
            도서관은 오전 9시에 문을 열고 오후 6시에 문을 닫습니다. 어린이는 한 번에 최대 5권, 성인은 최대 10권까지 책을 빌릴 수 있습니다. 작년에는 12,000명이 넘는 사람들이 방문했고, 그중 많은 사람들이 매주 다시 와서 신문을 읽거나 컴퓨터를 사용하거나 그저 차 한 잔을 들고 창가에 앉아 있었습니다.

            내일은 비가 올 것으로 예상되어 야외 독서 시간은 중앙 홀로 옮겨집니다. 누구나 환영하며 미리 등록할 필요는 없습니다.

            """),
        .init(name: "arabic", text: """
            تفتح المكتبة أبوابها في التاسعة صباحًا وتغلق في السادسة مساءً. يمكن للأطفال استعارة ما يصل إلى خمسة كتب في المرة الواحدة، وللبالغين ما يصل إلى عشرة. في العام الماضي زارها أكثر من 12,000 شخص، وعاد كثيرون منهم كل أسبوع لقراءة الصحف أو استخدام الحواسيب أو الجلوس ببساطة بجوار النافذة مع كوب من الشاي.

            من المتوقع هطول المطر غدًا، لذلك ستنتقل ساعة القراءة في الهواء الطلق إلى القاعة الرئيسية. الجميع مرحب بهم، ولا حاجة إلى التسجيل مسبقًا.

            """),
        // Persian writes the zero-width non-joiner (U+200C) inside words such as می‌شود.
        .init(name: "persian", text: """
            کتابخانه ساعت نه صبح باز می\u{200C}شود و ساعت شش عصر بسته می\u{200C}شود. کودکان می\u{200C}توانند هر بار تا پنج کتاب و بزرگسالان تا ده کتاب امانت بگیرند. سال گذشته بیش از ۱۲٬۰۰۰ نفر از آن بازدید کردند و بسیاری از آن\u{200C}ها هر هفته برمی\u{200C}گشتند تا روزنامه بخوانند، از رایانه\u{200C}ها استفاده کنند یا فقط با یک فنجان چای کنار پنجره بنشینند.

            فردا باران پیش\u{200C}بینی می\u{200C}شود، بنابراین ساعت کتاب\u{200C}خوانی در فضای باز به سالن اصلی منتقل می\u{200C}شود. همه خوش آمدند و نیازی به ثبت\u{200C}نام از قبل نیست.

            """),
        .init(name: "hebrew", text: """
            הספרייה נפתחת בתשע בבוקר ונסגרת בשש בערב. ילדים יכולים לשאול עד חמישה ספרים בכל פעם, ומבוגרים עד עשרה. בשנה שעברה ביקרו בה יותר מ־12,000 איש, ורבים מהם חזרו מדי שבוע כדי לקרוא עיתונים, להשתמש במחשבים או פשוט לשבת ליד החלון עם כוס תה.

            מחר צפוי גשם, ולכן שעת הקריאה בחוץ תעבור לאולם המרכזי. כולם מוזמנים, ואין צורך להירשם מראש.

            """),
        .init(name: "hindi", text: """
            पुस्तकालय सुबह नौ बजे खुलता है और शाम छह बजे बंद होता है। बच्चे एक बार में पाँच किताबें तक उधार ले सकते हैं, और वयस्क दस तक। पिछले साल 12,000 से अधिक लोग यहाँ आए, और उनमें से कई हर हफ़्ते अख़बार पढ़ने, कंप्यूटर इस्तेमाल करने या बस चाय का कप लेकर खिड़की के पास बैठने के लिए लौटते थे।

            कल बारिश की संभावना है, इसलिए बाहर होने वाला पढ़ने का समय मुख्य हॉल में होगा। सभी का स्वागत है, और पहले से पंजीकरण की कोई ज़रूरत नहीं है।

            """),
        .init(name: "bengali", text: """
            গ্রন্থাগারটি সকাল নয়টায় খোলে এবং সন্ধ্যা ছয়টায় বন্ধ হয়। শিশুরা একবারে পাঁচটি পর্যন্ত বই ধার নিতে পারে, আর প্রাপ্তবয়স্করা দশটি পর্যন্ত। গত বছর ১২,০০০-এরও বেশি মানুষ এখানে এসেছিলেন, এবং তাঁদের অনেকেই প্রতি সপ্তাহে ফিরে আসতেন খবরের কাগজ পড়তে, কম্পিউটার ব্যবহার করতে, অথবা শুধু এক কাপ চা নিয়ে জানালার পাশে বসে থাকতে।

            আগামীকাল বৃষ্টির সম্ভাবনা রয়েছে, তাই বাইরের পাঠের সময়টি মূল হলে সরানো হবে। সবাইকে স্বাগত, আগে থেকে নিবন্ধনের প্রয়োজন নেই।

            """),
        .init(name: "tamil", text: """
            நூலகம் காலை ஒன்பது மணிக்குத் திறந்து மாலை ஆறு மணிக்கு மூடப்படும். குழந்தைகள் ஒரே நேரத்தில் ஐந்து புத்தகங்கள் வரையும், பெரியவர்கள் பத்து புத்தகங்கள் வரையும் இரவல் பெறலாம். கடந்த ஆண்டு 12,000-க்கும் மேற்பட்டோர் வருகை தந்தனர்; அவர்களில் பலர் ஒவ்வொரு வாரமும் செய்தித்தாள்கள் படிக்கவோ, கணினிகளைப் பயன்படுத்தவோ, அல்லது ஒரு கோப்பை தேநீருடன் ஜன்னல் அருகே அமர்ந்திருக்கவோ திரும்பி வந்தனர்.

            நாளை மழை பெய்யும் என எதிர்பார்க்கப்படுவதால், வெளிப்புற வாசிப்பு நேரம் பிரதான அரங்கிற்கு மாற்றப்படும். அனைவரும் வரவேற்கப்படுகிறார்கள்; முன்பதிவு தேவையில்லை.

            """),
        .init(name: "thai", text: """
            ห้องสมุดเปิดเวลาเก้าโมงเช้าและปิดเวลาหกโมงเย็น เด็กสามารถยืมหนังสือได้ครั้งละไม่เกินห้าเล่ม และผู้ใหญ่ไม่เกินสิบเล่ม เมื่อปีที่แล้วมีผู้มาเยือนมากกว่า 12,000 คน และหลายคนกลับมาทุกสัปดาห์เพื่ออ่านหนังสือพิมพ์ ใช้คอมพิวเตอร์ หรือเพียงนั่งริมหน้าต่างพร้อมกับชาสักถ้วย

            พรุ่งนี้คาดว่าฝนจะตก ชั่วโมงการอ่านกลางแจ้งจึงจะย้ายไปที่ห้องโถงใหญ่ ทุกคนยินดีต้อนรับ และไม่ต้องลงทะเบียนล่วงหน้า

            """),
        .init(name: "russian", text: """
            Библиотека открывается в девять утра и закрывается в шесть вечера. Дети могут брать до пяти книг за раз, а взрослые — до десяти. В прошлом году её посетили более 12 000 человек, и многие из них возвращались каждую неделю, чтобы почитать газеты, поработать за компьютером или просто посидеть у окна с чашкой чая.

            Завтра ожидается дождь, поэтому час чтения на открытом воздухе перенесут в главный зал. Приглашаются все, заранее регистрироваться не нужно.

            """),
        .init(name: "greek", text: """
            Η βιβλιοθήκη ανοίγει στις εννέα το πρωί και κλείνει στις έξι το απόγευμα. Τα παιδιά μπορούν να δανειστούν έως πέντε βιβλία κάθε φορά και οι ενήλικες έως δέκα. Πέρυσι την επισκέφθηκαν περισσότεροι από 12.000 άνθρωποι, και πολλοί από αυτούς επέστρεφαν κάθε εβδομάδα για να διαβάσουν εφημερίδες, να χρησιμοποιήσουν τους υπολογιστές ή απλώς να καθίσουν δίπλα στο παράθυρο με ένα φλιτζάνι τσάι.

            Αύριο αναμένεται βροχή, γι' αυτό η ώρα ανάγνωσης στο ύπαιθρο θα μεταφερθεί στην κεντρική αίθουσα. Όλοι είναι ευπρόσδεκτοι και δεν χρειάζεται εγγραφή εκ των προτέρων.

            """),
        .init(name: "german", text: """
            Die Bibliothek öffnet um neun Uhr morgens und schließt um sechs Uhr abends. Kinder können bis zu fünf Bücher auf einmal ausleihen, Erwachsene bis zu zehn. Im vergangenen Jahr kamen mehr als 12.000 Besucher, und viele von ihnen kamen jede Woche wieder, um Zeitung zu lesen, die Computer zu benutzen oder einfach mit einer Tasse Tee am Fenster zu sitzen.

            Für morgen ist Regen angesagt, daher wird die Lesestunde im Freien in den großen Saal verlegt. Alle sind willkommen, eine Anmeldung ist nicht nötig.

            """),
        .init(name: "french", text: """
            La bibliothèque ouvre à neuf heures du matin et ferme à six heures du soir. Les enfants peuvent emprunter jusqu'à cinq livres à la fois, et les adultes jusqu'à dix. L'année dernière, plus de 12 000 personnes l'ont visitée, et beaucoup d'entre elles revenaient chaque semaine pour lire les journaux, utiliser les ordinateurs ou simplement s'asseoir près de la fenêtre avec une tasse de thé.

            De la pluie est prévue demain : l'heure de lecture en plein air aura donc lieu dans la grande salle. Tout le monde est le bienvenu, et il n'est pas nécessaire de s'inscrire à l'avance.

            """),
        .init(name: "spanish", text: """
            La biblioteca abre a las nueve de la mañana y cierra a las seis de la tarde. Los niños pueden tomar prestados hasta cinco libros a la vez, y los adultos hasta diez. El año pasado la visitaron más de 12.000 personas, y muchas de ellas volvían cada semana para leer el periódico, usar los ordenadores o simplemente sentarse junto a la ventana con una taza de té.

            Se espera lluvia para mañana, así que la hora de lectura al aire libre se trasladará al salón principal. Todos son bienvenidos y no hace falta inscribirse con antelación.

            """),
        .init(name: "vietnamese", text: """
            Thư viện mở cửa lúc chín giờ sáng và đóng cửa lúc sáu giờ tối. Trẻ em có thể mượn tối đa năm cuốn sách mỗi lần, còn người lớn tối đa mười cuốn. Năm ngoái có hơn 12.000 người đến thăm, và nhiều người trong số họ quay lại mỗi tuần để đọc báo, dùng máy tính hoặc chỉ đơn giản là ngồi bên cửa sổ với một tách trà.

            Ngày mai dự báo có mưa, vì vậy giờ đọc sách ngoài trời sẽ được chuyển vào hội trường chính. Mọi người đều được chào đón và không cần đăng ký trước.

            """),
        .init(name: "swahili", text: """
            Maktaba hufunguliwa saa tatu asubuhi na kufungwa saa kumi na mbili jioni. Watoto wanaweza kuazima hadi vitabu vitano kwa wakati mmoja, na watu wazima hadi kumi. Mwaka jana zaidi ya watu 12,000 waliitembelea, na wengi wao walirudi kila wiki kusoma magazeti, kutumia kompyuta, au kukaa tu karibu na dirisha wakiwa na kikombe cha chai.

            Mvua inatarajiwa kesho, kwa hivyo saa ya kusoma nje itahamishiwa kwenye ukumbi mkuu. Kila mtu anakaribishwa, na hakuna haja ya kujiandikisha mapema.

            """),
        .init(name: "turkish", text: """
            Kütüphane sabah dokuzda açılır ve akşam altıda kapanır. Çocuklar bir seferde en fazla beş kitap, yetişkinler ise en fazla on kitap ödünç alabilir. Geçen yıl 12.000'den fazla kişi kütüphaneyi ziyaret etti ve birçoğu her hafta gazete okumak, bilgisayarları kullanmak ya da sadece bir fincan çayla pencere kenarında oturmak için geri geldi.

            Yarın yağmur bekleniyor, bu yüzden açık havada okuma saati ana salona taşınacak. Herkes davetlidir ve önceden kayıt yaptırmaya gerek yoktur.

            """),
        .init(name: "python", text: """
            import csv
            from dataclasses import dataclass


            @dataclass
            class Loan:
                member: str
                books: int

                def within_limit(self, adult: bool) -> bool:
                    \"\"\"Children may borrow 5 books at a time, adults 10.\"\"\"
                    return self.books <= (10 if adult else 5)


            def read_loans(path):
                with open(path, newline="") as f:
                    for row in csv.DictReader(f):
                        yield Loan(row["member"], int(row["books"]))

            """),
        .init(name: "swift", text: """
            struct Loan: Codable, Sendable {
                var member: String
                var books: Int

                /// Children may borrow 5 books at a time, adults 10.
                func isWithinLimit(adult: Bool) -> Bool {
                    books <= (adult ? 10 : 5)
                }
            }

            func visitors(in log: [String: Int]) -> Int {
                log.values.reduce(0, +)  // 12_000 last year
            }

            """),
        .init(name: "emoji-chat", text: """
            omg the library is open late today 📚🎉🎉 who's coming?? 🙋🏽‍♀️🙋🏿‍♂️
            me!! bringing tea ☕️🍵 and the kids 👨‍👩‍👧‍👦 🌧️ rain again lol 😂😂😂
            see you at 6 👋🏻❤️🔥 #readinghour 🇰🇪🇯🇵🇧🇷✨

            """),
        .init(name: "numbers", text: """
            year\tvisitors\tloans\tavg_per_visit\tgrowth
            2021\t8412\t19375\t2.303\t-12.5%
            2022\t9968\t23540\t2.362\t+18.5%
            2023\t11207\t27014\t2.410\t+12.4%
            2024\t12086\t29993\t2.482\t+7.8%
            total\t41673\t99922\t2.398\t
            phone +1 (555) 010-4477, ISBN 978-0-13-468599-1, 3.14159265358979, 1e-9, 0x7FFFFFFF

            """),
    ]
}
