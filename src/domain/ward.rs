//! The ward (区) a database belongs to, identified by its 全国地方公共団体コード (local government
//! code) when known: five digits and a check digit (JIS X 0401/0402; 131083 is 江東区).

use crate::domain::calendar::fold_width;

/// The check digit of the first five digits: the digits weighted 6, 5, 4, 3, 2, summed; the last
/// digit of 11 minus the remainder of the sum divided by 11.
pub fn check_digit(first_five: &[u32; 5]) -> u32 {
    let sum: u32 = first_five
        .iter()
        .zip([6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    (11 - sum % 11) % 10
}

/// A local government code as stored: six ASCII digits with a correct check digit. Full-width
/// digits are read; five digits (the code without its check digit, as many lists print it) get
/// their check digit.
pub fn parse_code(text: &str) -> Result<String, String> {
    let folded = fold_width(text.trim());
    let digits: Vec<u32> = folded.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != folded.chars().count() || !(5..=6).contains(&digits.len()) {
        return Err(crate::i18n::said(
            "ward_code_not_a_code",
            &[("text", text.to_owned())],
        ));
    }
    let first = [digits[0], digits[1], digits[2], digits[3], digits[4]];
    let check = check_digit(&first);
    if digits.len() == 6 && digits[5] != check {
        let first: String = first.iter().map(u32::to_string).collect();
        return Err(crate::i18n::said(
            "ward_code_check_digit",
            &[
                ("text", text.to_owned()),
                ("first", first),
                ("check", check.to_string()),
            ],
        ));
    }
    Ok(format!(
        "{}{}{}{}{}{check}",
        first[0], first[1], first[2], first[3], first[4]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_codes_pass() {
        for code in ["131083", "271004", "010006", "131075", "041009", "131237"] {
            assert_eq!(parse_code(code).as_deref(), Ok(code), "{code}");
        }
    }

    #[test]
    fn a_wrong_check_digit_is_refused() {
        let err = parse_code("131084").unwrap_err();
        assert!(err.contains("ends in 3"), "{err}");
    }

    #[test]
    fn five_digits_and_full_width_are_read() {
        assert_eq!(parse_code("13108").as_deref(), Ok("131083"));
        assert_eq!(parse_code("１３１０８３").as_deref(), Ok("131083"));
    }

    #[test]
    fn other_text_is_refused() {
        for bad in ["", "1310", "1310833", "13108a", "江東区", "-13108"] {
            assert!(parse_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn remainders_zero_and_one_give_one_and_zero() {
        // A sum of 0 leaves 11: its last digit, 1.
        assert_eq!(check_digit(&[0, 0, 0, 0, 0]), 1);
        // 1·6 + 1·5 = 11 → remainder 0 → 1.
        assert_eq!(check_digit(&[1, 1, 0, 0, 0]), 1);
        // 2·6 = 12 → remainder 1 → 10 → 0.
        assert_eq!(check_digit(&[2, 0, 0, 0, 0]), 0);
    }
}
