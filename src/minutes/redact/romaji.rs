//! Kana in Latin letters, every way a Japanese or English speaker writes it.

use wana_kana::ConvertJapanese;

/// The ways a kana word is written in Latin letters: Hepburn and Kunrei, long vowels written out,
/// dropped or with h (Satou, Sato, Satoh), n or m before b, m, p (Honma, Homma).
pub fn romanisations(kana: &str) -> Vec<String> {
    let base = kana.to_romaji().to_lowercase().replace('\'', "");
    if !base.chars().all(|c| c.is_ascii_alphabetic()) || base.is_empty() {
        return Vec::new();
    }
    let mut out = vec![base.clone()];
    let kunrei = [
        ("sha", "sya"),
        ("shu", "syu"),
        ("sho", "syo"),
        ("shi", "si"),
        ("chi", "ti"),
        ("cha", "tya"),
        ("chu", "tyu"),
        ("cho", "tyo"),
        ("tsu", "tu"),
        ("fu", "hu"),
        ("ja", "zya"),
        ("ju", "zyu"),
        ("jo", "zyo"),
        ("ji", "zi"),
    ];
    let mut k = base.clone();
    for (h, kr) in kunrei {
        k = k.replace(h, kr);
    }
    out.push(k);
    let mut more = Vec::new();
    for word in &out {
        more.push(
            word.replace("ou", "o")
                .replace("oo", "o")
                .replace("uu", "u"),
        );
        more.push(word.replace("ou", "oh").replace("oo", "oh"));
        more.push(
            word.replace("nb", "mb")
                .replace("nm", "mm")
                .replace("np", "mp"),
        );
    }
    out.extend(more);
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_are_romanised_every_usual_way() {
        let sato = romanisations("サトウ");
        for form in ["satou", "sato", "satoh"] {
            assert!(sato.contains(&form.to_owned()), "{sato:?}");
        }
        let shinichi = romanisations("しんいち");
        assert!(
            shinichi.contains(&"shinichi".to_owned()) && shinichi.contains(&"siniti".to_owned())
        );
        assert!(romanisations("ホンマ").contains(&"homma".to_owned()));
        assert!(romanisations("山田").is_empty());
    }
}
