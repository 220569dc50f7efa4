use super::*;

fn people(list: &[&str]) -> Vec<Person> {
    list.iter()
        .map(|s| Person::new(*s, PersonKind::Attendee))
        .collect()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn redactor(list: &[&str], agencies: &[&str]) -> Redactor {
    Redactor::new(Lang::Ja, &people(list), &names(agencies))
}

#[test]
fn names_get_letters_in_order_of_appearance() {
    let mut r = redactor(&["山田 花子", "佐藤 健一"], &[]);
    assert_eq!(r.redact("佐藤 健一が山田 花子に連絡"), "A氏がB氏に連絡");
    assert_eq!(r.redact("山田花子と佐藤健一"), "B氏とA氏");
}

#[test]
fn family_name_alone_and_honorifics() {
    let mut r = redactor(&["山田 花子", "佐藤 健一"], &[]);
    assert_eq!(r.redact("山田さんは佐藤係長と"), "A氏はB氏係長と");
    assert_eq!(r.redact("花子さんの希望"), "A氏の希望");
    assert_eq!(r.redact("花子の希望"), "A氏の希望");
    assert_eq!(r.redact("山田　花子様"), "A氏");
}

#[test]
fn shared_family_names_are_hidden_but_tied_to_no_one() {
    let mut r = redactor(&["山田 花子", "山田 太郎"], &[]);
    assert_eq!(r.redact("山田さんと山田太郎"), "某氏とA氏");
}

#[test]
fn agencies_stay_whole() {
    let mut r = redactor(&["中村 亮"], &["中村橋福祉センター"]);
    assert_eq!(
        r.redact("中村橋福祉センターの中村さん"),
        "中村橋福祉センターのA氏"
    );
}

#[test]
fn latin_names_match_whole_words() {
    let mut r = Redactor::new(Lang::En, &people(&["Ann Lee"]), &[]);
    assert_eq!(
        r.redact("Annual report by Ann Lee"),
        "Annual report by Person A"
    );
}

#[test]
fn unchanged_text_is_borrowed() {
    let mut r = redactor(&["山田 花子"], &[]);
    assert!(matches!(r.redact("関係なし"), Cow::Borrowed(_)));
}

#[test]
fn key_person_is_a_name_only_when_it_looks_like_one() {
    assert_eq!(key_person_name("子（週2回、食事と郵便を届けている）"), None);
    assert_eq!(key_person_name("長女（市外在住）"), None);
    assert_eq!(
        key_person_name("長女 山田 恵子（市外在住）"),
        Some("山田 恵子".into())
    );
    assert_eq!(key_person_name("高橋 由美"), Some("高橋 由美".into()));
    assert_eq!(key_person_name("阿部 恵子"), Some("阿部 恵子".into()));
    assert_eq!(key_person_name("地域包括支援センター"), None);
    assert_eq!(key_person_name(""), None);
}

#[test]
fn letters_go_past_z() {
    assert_eq!(letter_name(0), "A");
    assert_eq!(letter_name(25), "Z");
    assert_eq!(letter_name(26), "AA");
    assert_eq!(letter_name(27), "AB");
    assert_eq!(letter_name(26 + 26 * 26), "AAA");
}

#[test]
fn pseudonym_letters_are_reserved() {
    assert_eq!(pseudonym_letters("A世帯"), vec![0]);
    assert_eq!(pseudonym_letters("Ｃ氏"), vec![2]);
    assert_eq!(pseudonym_letters("Case 12"), Vec::<usize>::new());
}
