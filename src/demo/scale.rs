//! Ward-scale demo data (`renkei demo --scale N`): the demo, then bodies up to 5·N in all and ten
//! fiscal years of held meetings (about 500·N), each with attendees, an agenda with notes and
//! decisions, role assignments, next actions and, for confidential meetings, case issues — about
//! thirty rows a meeting, in Japanese sentences of 20–80 characters.
//!
//! Seeded: the same scale on the same day gives the same database. Written in one transaction with
//! prepared statements, because going through the interchange records (one statement prepared per
//! row) would take minutes for 1.5 million rows.

use chrono::{Duration, NaiveDate};
use rusqlite::{CachedStatement, Connection, OptionalExtension, params};
use std::collections::HashMap;

use super::{weekday_on_or_after, weekday_on_or_before};
use crate::domain::calendar::{fiscal_year_of, fiscal_year_start};
use crate::domain::frequency::{self, Frequency};
use crate::domain::schedule::expected_windows;
use crate::store::identity::new_uid;
use crate::store::{Result, Store};

/// Bodies per unit of scale: `--scale 100` is a ward of 500 bodies.
pub const BODIES_PER_SCALE: u32 = 5;
/// Held meetings per unit of scale over the ten years: `--scale 100` holds about 50 000.
pub const MEETINGS_PER_SCALE: u32 = 500;
/// How many fiscal years of history, the current one included.
pub const YEARS: i32 = 10;

/// What a scaled load wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScaleSummary {
    pub bodies: usize,
    pub meetings: usize,
    /// Rows written by the generator (bodies, members, meetings and everything in them).
    pub rows: usize,
}

/// The demo at `scale`: scale 1 (or 0) is the plain demo ([`super::load`]); a larger one adds
/// bodies and history around it, leaving the demo's own meetings as they are.
pub fn load_scaled(store: &mut Store, scale: u32) -> Result<ScaleSummary> {
    load_city(store, scale, 1)
}

/// A city of `wards` wards, each a ward at `scale` (`renkei demo --scale 100 --wards 24`: 24
/// wards of 500 bodies, 1.2 million meetings held): the demo in the city's own ward, then each
/// ward's bodies and ten years of meetings, written one ward to a transaction. The wards are
/// Osaka's 24 (seed 003 is their total), with their local government codes; one ward (the
/// default) is the plain ward-scale demo.
pub fn load_city(store: &mut Store, scale: u32, wards: u32) -> Result<ScaleSummary> {
    load_city_saying(store, scale, wards, &mut |_| {})
}

/// A ward of a city written and committed: which of how many, its name, and the city so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WardWritten {
    /// 1 for the first ward generated.
    pub number: u32,
    pub of: u32,
    pub name: String,
    pub summary: ScaleSummary,
}

/// [`load_city`], telling `written` of each ward as soon as it is committed: a city of 24 wards
/// at scale 100 takes half an hour or more, and `renkei demo` says each ward on standard error
/// rather than leave the terminal silent all that time.
pub fn load_city_saying(
    store: &mut Store,
    scale: u32,
    wards: u32,
    written: &mut dyn FnMut(&WardWritten),
) -> Result<ScaleSummary> {
    let base = super::load(store)?;
    let mut summary = ScaleSummary {
        bodies: base.bodies.total(),
        meetings: base.meetings.total(),
        rows: 0,
    };
    if wards <= 1 && scale <= 1 {
        return Ok(summary);
    }
    let today = store.clock().today();
    let cache = store.enlarge_cache(64 * 1024)?;
    let generated = if wards <= 1 {
        generate(store, today, scale, None, &mut summary)
    } else {
        city(store, today, scale.max(1), wards, &mut summary, written)
    };
    store.conn().pragma_update(None, "cache_size", cache)?;
    generated?;
    Ok(summary)
}

/// Osaka city's wards and their local government codes (全国地方公共団体コード).
pub const OSAKA_WARDS: [(&str, &str); 24] = [
    ("都島区", "271021"),
    ("福島区", "271039"),
    ("此花区", "271047"),
    ("西区", "271063"),
    ("港区", "271071"),
    ("大正区", "271080"),
    ("天王寺区", "271098"),
    ("浪速区", "271110"),
    ("西淀川区", "271136"),
    ("東淀川区", "271144"),
    ("東成区", "271152"),
    ("生野区", "271161"),
    ("旭区", "271179"),
    ("城東区", "271187"),
    ("阿倍野区", "271195"),
    ("住吉区", "271209"),
    ("東住吉区", "271217"),
    ("西成区", "271225"),
    ("淀川区", "271233"),
    ("鶴見区", "271241"),
    ("住之江区", "271250"),
    ("平野区", "271268"),
    ("北区", "271276"),
    ("中央区", "271284"),
];

/// The city: its own ward named (when it has no name yet), then each ward generated.
fn city(
    store: &mut Store,
    today: NaiveDate,
    scale: u32,
    wards: u32,
    summary: &mut ScaleSummary,
    written: &mut dyn FnMut(&WardWritten),
) -> Result<()> {
    let unnamed = store
        .wards()?
        .iter()
        .any(|w| w.is_home() && w.name.trim().is_empty());
    if unnamed {
        store.set_ward("大阪市", Some("271004"))?;
    }
    for n in 0..wards as usize {
        let (name, code) = match OSAKA_WARDS.get(n) {
            Some(&(name, code)) => (name.to_owned(), Some(code)),
            None => (format!("第{}区", n + 1), None),
        };
        // A ward the database holds already (an earlier `demo --wards`, an import of that
        // ward's export) is left as it is: never a second ward of one code (attack14 finding
        // 10), as the ward-scale demo adds no body to a ward that has its bodies.
        let held: Option<i64> = store
            .conn()
            .query_row(
                "SELECT id FROM wards WHERE id <> ?1 AND (code = ?2 OR (?2 IS NULL AND name = ?3))",
                params![crate::store::ward::HOME, code, name],
                |r| r.get(0),
            )
            .optional()?;
        if held.is_some() {
            continue;
        }
        let ward = {
            let conn = store.conn();
            // Minutes approved while the database held one ward keep their header without a
            // 区 line, as the import's second ward keeps them (record13).
            crate::store::ward::keep_headers_of_one_ward(conn)?;
            conn.execute(
                "INSERT INTO wards (name, code) VALUES (?1, ?2)",
                params![name, code],
            )?;
            conn.last_insert_rowid()
        };
        generate(store, today, scale, Some(ward), summary)?;
        written(&WardWritten {
            number: n as u32 + 1,
            of: wards,
            name,
            summary: *summary,
        });
    }
    // Each ward's pass left its segments of the search index; merged into one, so that the
    // first captures in the city do not merge them (`store::search::optimize`).
    let tx = store.write_transaction()?;
    crate::store::search::optimize(&tx)?;
    tx.commit()?;
    Ok(())
}

/// One ward's bodies and history: the database's own ward around the demo's bodies (`ward`
/// none), or another ward of a city whose bodies are all generated, modelled on the demo's.
fn generate(
    store: &mut Store,
    today: NaiveDate,
    scale: u32,
    ward: Option<i64>,
    summary: &mut ScaleSummary,
) -> Result<()> {
    let now = store.now_text();
    let user = store.user().to_owned();
    let tx = store.write_transaction()?;
    // A million rows at once: indexed for search in one pass at the end, not row by row — a
    // city's next ward only its own meetings, those numbered after every meeting so far.
    let set_aside = crate::store::search::set_aside(&tx)?;
    let first: i64 = tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM meetings", [], |r| {
        r.get(0)
    })?;
    let mut generator = Generator::new(&tx, today, scale, ward)?;
    generator.add_bodies()?;
    generator.add_history()?;
    let generated = generator.bodies.iter().filter(|b| b.generated).count();
    match ward {
        None => summary.bodies = generator.bodies.len(),
        Some(_) => summary.bodies += generated,
    }
    summary.meetings += generator.meetings;
    summary.rows += generator.rows;
    drop(generator);
    crate::store::cases::link_all(&tx, &now, &user)?;
    match ward {
        None => crate::store::search::index_again(&tx, set_aside)?,
        Some(_) => crate::store::search::index_meetings_from(&tx, set_aside, first)?,
    }
    tx.commit()?;
    Ok(())
}

/// SplitMix64: small, fast and the same everywhere, which is all demo data needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SEED: u64 = 0x7265_6e6b_6569; // "renkei"

/// Frequencies for the generated bodies and how many meetings a year each makes.
const FREQUENCIES: &[(&str, u32)] = &[
    ("年1回", 1),
    ("年1回（2月）", 1),
    ("年2回程度", 2),
    ("年3回程度", 3),
    ("年4回", 4),
    ("四半期ごと", 4),
    ("隔月", 6),
    ("年6回（奇数月）", 6),
    ("毎月", 12),
    ("月1回", 12),
    ("月1回程度", 12),
    ("年12回（月1回）", 12),
    ("月2回", 24),
    ("隔週", 26),
    ("随時", 6),
    ("必要に応じて", 6),
];

/// Meetings a year for a body that meets when needed.
const AD_HOC_PER_YEAR: u32 = 6;

const AREAS: &[&str] = &[
    "城東地区",
    "深川地区",
    "亀戸地区",
    "大島地区",
    "砂町地区",
    "南砂地区",
    "豊洲地区",
    "東雲地区",
    "小松川地区",
    "葛西地区",
    "鹿骨地区",
    "小岩地区",
    "向島地区",
    "本所地区",
    "北部圏域",
    "南部圏域",
    "東部圏域",
    "西部圏域",
    "中央圏域",
    "臨海部",
];

const SURNAMES: &[&str] = &[
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "山下",
    "中島",
    "石井",
    "小川",
    "前田",
    "岡田",
    "長谷川",
    "藤田",
    "後藤",
    "近藤",
    "村上",
    "遠藤",
    "青木",
    "坂本",
];

const GIVEN: &[&str] = &[
    "健一",
    "美咲",
    "由美",
    "誠",
    "直子",
    "恵",
    "亮",
    "彩",
    "真理",
    "修",
    "洋子",
    "大輔",
    "千春",
    "智子",
    "健",
    "聡",
    "一郎",
    "陽子",
    "浩",
    "明美",
    "翔太",
    "結衣",
    "大樹",
    "さくら",
    "拓也",
    "裕子",
    "和也",
    "久美子",
    "隆",
    "奈緒",
];

const TITLES: &[&str] = &[
    "係長",
    "主事",
    "主任",
    "保健師",
    "社会福祉士",
    "相談員",
    "ケースワーカー",
    "課長",
    "主査",
    "精神保健福祉士",
    "看護師",
    "ケアマネジャー",
    "相談支援専門員",
    "民生委員",
];

const TOPICS: &[&str] = &[
    "見守りの体制",
    "受診の同行",
    "家計の状況",
    "就労に向けた準備",
    "住まいの確保",
    "学校との連絡",
    "ヘルパーの派遣",
    "服薬の管理",
    "近隣との関係",
    "自宅の片付け",
    "介護保険の申請",
    "生活保護の相談",
    "成年後見の申立て",
    "子の登校状況",
    "緊急時の連絡先",
    "地域の居場所づくり",
    "研修会の企画",
    "事業の利用状況",
    "相談件数の推移",
    "関係機関の連絡体制",
    "家族への支援",
    "退院後の生活",
    "金銭管理の支援",
    "災害時の避難支援",
];

const REPORTS: &[&str] = &[
    "について経過の報告があった。",
    "について、前回からの変化を確認した。",
    "に課題があることを共有した。",
    "の進め方について意見が出された。",
    "について、本人の意向を聞き取った結果が報告された。",
    "は予定どおり進んでいる。",
];

const REMARKS: &[&str] = &[
    "本人の意向を確かめながら進める必要がある。",
    "家族の協力が得られにくい状況が続いている。",
    "関係機関の間で役割が重なっている。",
    "夜間の対応が手薄になっている。",
    "地域の支援者から心配の声が寄せられている。",
    "次回までに状況を確認する。",
    "引き続き見守りを続ける。",
    "本人の同意を得たうえで情報を共有する。",
];

const DECISIONS: &[&str] = &[
    "は{a}が中心となって進める",
    "について次回の会議で改めて検討する",
    "の窓口を{a}に一本化する",
    "は当面、現在の体制で様子を見る",
    "について{a}が関係者と日程を調整する",
];

const RESPONSIBILITIES: &[&str] = &[
    "の調整と関係機関への連絡",
    "の窓口、本人・家族との連絡",
    "に関する情報の収集と報告",
    "の確認と記録",
];

const ACTIONS: &[&str] = &[
    "について本人・家族の意向を確認する",
    "の状況を次回までに報告する",
    "について関係者との打合せを設定する",
    "に必要な書類をそろえる",
    "の案を作成し、事務局に送る",
];

const ISSUES: &[&str] = &[
    "経済的困窮",
    "認知症",
    "孤立",
    "ひきこもり",
    "精神障がい（疑い含む）",
    "ゴミ屋敷",
    "虐待",
    "DV",
    "不登校",
    "病気・けが",
    "就労",
    "住まい",
    "債務",
    "介護",
    "ヤングケアラー",
];

const PLACES: &[&str] = &[
    "区役所 第3会議室",
    "区役所 5階 大会議室",
    "区保健福祉センター 会議室",
    "長寿サポートセンター 相談室",
    "社会福祉協議会 研修室",
    "オンライン（Zoom）",
];

const RISKS: &[&str] = &["高", "中", "低"];

/// A body as the generator needs it.
struct BodyPlan {
    id: i64,
    frequency: Frequency,
    kind: String,
    personal_info: bool,
    members: Vec<i64>,
    /// The days it held its meetings, oldest first.
    dates: Vec<NaiveDate>,
    generated: bool,
}

struct Generator<'c> {
    conn: &'c Connection,
    rng: Rng,
    today: NaiveDate,
    scale: u32,
    /// Another ward of a city (none: the database's own, around the demo's bodies).
    ward: Option<i64>,
    bodies: Vec<BodyPlan>,
    agencies: Vec<(i64, String)>,
    agency_names: HashMap<i64, String>,
    templates: HashMap<String, Vec<(String, Option<u32>)>>,
    meetings: usize,
    rows: usize,
    /// Held meetings so far, the demo's own included: what the mix of frequencies aims from.
    held: usize,
}

impl<'c> Generator<'c> {
    fn new(
        conn: &'c Connection,
        today: NaiveDate,
        scale: u32,
        ward: Option<i64>,
    ) -> Result<Generator<'c>> {
        let agencies: Vec<(i64, String)> = conn
            .prepare("SELECT id, name FROM agencies ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut templates: HashMap<String, Vec<(String, Option<u32>)>> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT kind, title, planned_min FROM agenda_templates ORDER BY kind, position",
        )?;
        for row in stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<u32>>(2)?,
            ))
        })? {
            let (kind, title, minutes) = row?;
            templates.entry(kind).or_default().push((title, minutes));
        }
        // Each ward its own data, the same on every run.
        let seed = SEED ^ u64::from(scale) ^ (ward.unwrap_or(0) as u64).rotate_left(32);
        let mut generator = Generator {
            conn,
            rng: Rng(seed),
            today,
            scale,
            ward,
            bodies: Vec::new(),
            agency_names: agencies.iter().cloned().collect(),
            agencies,
            templates,
            meetings: 0,
            rows: 0,
            held: 0,
        };
        generator.held = match ward {
            None => conn.query_row(
                "SELECT COUNT(*) FROM meetings WHERE status = 'held'",
                [],
                |r| r.get::<_, i64>(0),
            )? as usize,
            Some(_) => 0,
        };
        generator.bodies = generator.existing_bodies()?;
        Ok(generator)
    }

    /// The demo's bodies, each with its members and the first meeting the demo gave it.
    fn existing_bodies(&mut self) -> Result<Vec<BodyPlan>> {
        let mut members: HashMap<i64, Vec<i64>> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT body_id, agency_id FROM body_members ORDER BY body_id, position")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
            let (body, agency) = row?;
            members.entry(body).or_default().push(agency);
        }
        let mut stmt = self.conn.prepare(
            "SELECT b.id, b.frequency_text, b.kind, b.personal_info,
                    (SELECT MIN(date) FROM meetings m WHERE m.body_id = b.id)
             FROM bodies b WHERE b.ward_id = 1 ORDER BY b.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let found: Vec<_> = rows.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(found.len());
        for (id, text, kind, personal_info, first) in found {
            let frequency = frequency::parse(&text);
            let until = first
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
                .map_or(self.today - Duration::days(1), |d| d - Duration::days(14));
            // Another ward's generator only takes the demo's bodies as models.
            let dates = match self.ward {
                None => self.held_dates(&frequency, until),
                Some(_) => Vec::new(),
            };
            self.held += dates.len();
            out.push(BodyPlan {
                id,
                frequency,
                kind,
                personal_info,
                members: members.remove(&id).unwrap_or_default(),
                dates,
                generated: false,
            });
        }
        Ok(out)
    }

    /// Bodies up to 5·scale, each modelled on a fixture body in one of the ward's areas; their
    /// frequencies are chosen so that the whole ward holds about 50·scale meetings a year.
    fn add_bodies(&mut self) -> Result<()> {
        let models = self.bodies.len();
        // The database's own ward has the demo's bodies among its 5·N; another ward all its own.
        let target = match self.ward {
            None => (BODIES_PER_SCALE * self.scale) as usize,
            Some(_) => models + (BODIES_PER_SCALE * self.scale) as usize,
        };
        if models == 0 || target <= models {
            return Ok(());
        }
        let mut stmt = self.conn.prepare(
            "SELECT name, organiser, municipality, expected_size, topics, kind, personal_info
             FROM bodies WHERE id = ?1",
        )?;
        let mut insert = self.conn.prepare(
            "INSERT INTO bodies (name, organiser, municipality, expected_size, topics,
                                 frequency_text, personal_info, kind, note, created_at, updated_at,
                                 uid, ward_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12)",
        )?;
        let mut member = self.conn.prepare(
            "INSERT OR IGNORE INTO body_members (body_id, agency_id, position) VALUES (?1, ?2, ?3)",
        )?;
        let target_held = (MEETINGS_PER_SCALE * self.scale) as usize;
        let years = (self.today - self.since()).num_days() as f64 / 365.25;
        let created = format!("{}T09:00:00+09:00", fiscal_year_start(self.first_year()));
        for index in models..target {
            let model = &self.bodies[index % models];
            let (model_id, model_members) = (model.id, model.members.clone());
            let (name, organiser, municipality, size, topics, kind, personal_info): (
                String,
                String,
                String,
                String,
                String,
                String,
                bool,
            ) = stmt.query_row([model_id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?;
            let round = index / models;
            let area = AREAS[(round - 1) % AREAS.len()];
            let name = match (round - 1) / AREAS.len() {
                0 => format!("{name}（{area}）"),
                n => format!("{name}（{area}{}）", n + 1),
            };
            let left = (target - index) as f64;
            let wanted = target_held.saturating_sub(self.held) as f64 / left / years;
            let text = self.frequency_near(wanted);
            let freq = frequency::parse(text);
            let mut dates = self.held_dates(&freq, self.today - Duration::days(1));
            // Every ninth body has missed its latest meetings: the overdue list is ward-sized too.
            if index % 9 == 4 {
                let cut = self.today - Duration::days(120);
                while dates.last().is_some_and(|d| *d > cut) {
                    dates.pop();
                }
            }
            self.held += dates.len();
            insert.execute(params![
                name,
                organiser,
                municipality,
                size,
                topics,
                text,
                personal_info,
                kind,
                format!("scale demo, modelled on body {model_id}"),
                created,
                new_uid().to_string(),
                self.ward.unwrap_or(1)
            ])?;
            let id = self.conn.last_insert_rowid();
            let members = if model_members.len() >= 3 {
                model_members
            } else {
                self.sample_agencies(6)
            };
            for (position, agency) in members.iter().enumerate() {
                member.execute(params![id, agency, position as i64 + 1])?;
            }
            self.rows += 1 + members.len();
            self.bodies.push(BodyPlan {
                id,
                frequency: freq,
                kind,
                personal_info,
                members,
                dates,
                generated: true,
            });
        }
        Ok(())
    }

    /// A frequency drawn so that the expected count a year is `wanted`: one from those meeting
    /// less often and one from those meeting more often, mixed in the right proportion. The ward
    /// reaches its total with a realistic mix rather than 500 identical bodies.
    fn frequency_near(&mut self, wanted: f64) -> &'static str {
        let (low, high): (Vec<_>, Vec<_>) = FREQUENCIES
            .iter()
            .copied()
            .partition(|(_, n)| f64::from(*n) <= wanted);
        match (low.is_empty(), high.is_empty()) {
            (true, _) => self.rng.pick(&high).0,
            (_, true) => self.rng.pick(&low).0,
            _ => {
                let a = *self.rng.pick(&low);
                let b = *self.rng.pick(&high);
                let p = (wanted - f64::from(a.1)) / f64::from(b.1 - a.1);
                if (self.rng.below(1000) as f64) < p * 1000.0 {
                    b.0
                } else {
                    a.0
                }
            }
        }
    }

    fn sample_agencies(&mut self, n: usize) -> Vec<i64> {
        let mut out: Vec<i64> = Vec::with_capacity(n);
        for _ in 0..n * 3 {
            if out.len() == n || self.agencies.is_empty() {
                break;
            }
            let id = self.rng.pick(&self.agencies).0;
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }

    fn first_year(&self) -> i32 {
        fiscal_year_of(self.today) - (YEARS - 1)
    }

    fn since(&self) -> NaiveDate {
        fiscal_year_start(self.first_year())
    }

    /// The held meetings planned for every body, and for every third generated body a planned
    /// meeting in its next window. Written in date order, as a ward's database grows (and as an
    /// export lists them), so that a year's rows lie together as they would in real use.
    fn add_history(&mut self) -> Result<()> {
        let mut writer = Writer::new(self.conn)?;
        let bodies = std::mem::take(&mut self.bodies);
        let mut plan: Vec<(NaiveDate, usize, usize, bool)> = Vec::new();
        for (index, body) in bodies.iter().enumerate() {
            let dates = &body.dates;
            plan.extend(dates.iter().enumerate().map(|(k, d)| (*d, index, k, true)));
            if body.generated && index % 3 == 0 {
                let last = dates.last().copied();
                let horizon = self.today + Duration::days(60);
                if let Some(window) = expected_windows(&body.frequency, last, self.today, horizon)
                    .into_iter()
                    .find(|w| w.from >= self.today)
                {
                    let date = weekday_on_or_after(window.from + Duration::days(3));
                    if date <= horizon {
                        plan.push((date, index, dates.len(), false));
                    }
                }
            }
        }
        plan.sort_unstable();
        for (date, index, k, held) in plan {
            self.meeting(&mut writer, &bodies[index], date, k, held)?;
        }
        self.bodies = bodies;
        Ok(())
    }

    /// Weekdays from the first of the ten fiscal years to `until`, near the middle of each window
    /// the schedule expects, one after the other, so that a body's history follows its frequency
    /// as the upcoming list reads it. Bodies without windows (ad hoc, unknown) meet on random
    /// weekdays.
    fn held_dates(&mut self, freq: &Frequency, until: NaiveDate) -> Vec<NaiveDate> {
        let since = self.since();
        let mut out = Vec::new();
        if since > until {
            return out;
        }
        if expected_windows(freq, None, since, since + Duration::days(366)).is_empty() {
            let days = (until - since).num_days().max(1);
            let count = (days * i64::from(AD_HOC_PER_YEAR) / 365) as usize;
            for _ in 0..count {
                let offset = self.rng.below(days as usize + 1) as i64;
                out.push(weekday_on_or_before(since + Duration::days(offset)));
            }
            out.retain(|d| *d >= since);
            out.sort_unstable();
            out.dedup();
            return out;
        }
        let mut last: Option<NaiveDate> = None;
        let mut cursor = since;
        while cursor <= until {
            let Some(window) = expected_windows(freq, last, cursor, cursor + Duration::days(400))
                .into_iter()
                .find(|w| w.to >= cursor && last.is_none_or(|l| w.from > l))
            else {
                break;
            };
            let span = (window.to - window.from).num_days().max(0);
            let jitter = (span / 4).min(10);
            let offset = span / 2 - jitter + self.rng.below((2 * jitter + 1) as usize) as i64;
            let mut date = weekday_on_or_after(window.from + Duration::days(offset.max(0)));
            if date > window.to {
                date = weekday_on_or_before(window.to);
            }
            if date > until {
                break;
            }
            if last.is_none_or(|l| date > l) {
                out.push(date);
                last = Some(date);
            }
            cursor = window.to + Duration::days(1);
        }
        out
    }

    fn person(&mut self) -> String {
        format!("{} {}", self.rng.pick(SURNAMES), self.rng.pick(GIVEN))
    }

    fn agency_name(&self, id: i64) -> &str {
        self.agency_names.get(&id).map(String::as_str).unwrap_or("")
    }

    /// A note of one to three sentences, 20 to 80 characters.
    fn note(&mut self, members: &[i64]) -> String {
        let topic = *self.rng.pick(TOPICS);
        let mut text = if self.rng.chance(50) && !members.is_empty() {
            let id = *self.rng.pick(members);
            let agency = self.agency_name(id).to_owned();
            format!("{agency}より、{topic}{}", self.rng.pick(REPORTS))
        } else {
            format!("{topic}{}", self.rng.pick(REPORTS))
        };
        for _ in 0..2 {
            let remark = *self.rng.pick(REMARKS);
            let len = text.chars().count();
            if len + remark.chars().count() > 80 || (len >= 20 && self.rng.chance(40)) {
                break;
            }
            text.push_str(remark);
        }
        cap(text, 80)
    }

    fn with_agency(&mut self, pattern: &str, members: &[i64]) -> String {
        let agency = match members.first() {
            Some(_) => {
                let id = *self.rng.pick(members);
                self.agency_name(id).to_owned()
            }
            None => "事務局".to_owned(),
        };
        pattern.replace("{a}", &agency)
    }

    /// One meeting with everything captured at it (held), or a planned one with its date only.
    fn meeting(
        &mut self,
        w: &mut Writer<'c>,
        body: &BodyPlan,
        date: NaiveDate,
        k: usize,
        held: bool,
    ) -> Result<()> {
        let morning = (body.id + k as i64) % 2 == 0;
        let (start, end) = if morning {
            ("10:00", "11:30")
        } else {
            ("14:00", "15:30")
        };
        let stamp = format!("{date}T{end}:00+09:00");
        let members: Vec<i64> = body.members.clone();
        let mut people: Vec<(Option<i64>, String, &str, &str, &str)> = Vec::new();
        if held {
            let count = (members.len().max(1)).min(7 + self.rng.below(5));
            for i in 0..count {
                let agency = members.get(i).copied();
                let role = match i {
                    0 => "facilitator",
                    1 => "recorder",
                    _ if i == count - 1 && self.rng.chance(20) => "supervisor",
                    _ => "member",
                };
                let attendance = match self.rng.below(20) {
                    0 | 1 => "absent",
                    2 => "late",
                    3 => "left_early",
                    _ => "present",
                };
                let attendance = if i < 2 { "present" } else { attendance };
                let title = *self.rng.pick(TITLES);
                people.push((agency, self.person(), title, role, attendance));
            }
        }
        let confidential = body.personal_info;
        let case = confidential && held;
        let basis = match body.kind.as_str() {
            "支援会議" | "地域ケア会議" | "要保護児童対策地域協議会" => {
                body.kind.clone()
            }
            _ if case => "地域ケア会議".to_owned(),
            _ => String::new(),
        };
        let referred_by = if case && !members.is_empty() {
            Some(*self.rng.pick(&members))
        } else {
            None
        };
        let lead = if case { members.first().copied() } else { None };
        // One of twenty households per unit of scale (--scale 100: a ledger of 2 000 cases),
        // linked to their case records once every meeting is written.
        let case_ref = if case {
            let n = self.rng.below(self.scale as usize * 20);
            format!("{}{}世帯", char::from(b'A' + (n % 26) as u8), n / 26 + 1)
        } else {
            String::new()
        };
        let approved = held && (self.today - date).num_days() > 30;
        let facilitator = people.first().map(|p| p.1.clone()).unwrap_or_default();
        let recorder = people.get(1).map(|p| p.1.clone()).unwrap_or_default();
        let policy = if case {
            self.note(&members)
        } else {
            String::new()
        };
        let remaining = if case {
            self.note(&members)
        } else {
            String::new()
        };
        w.meeting.execute(params![
            body.id,
            date.to_string(),
            start,
            end,
            self.rng.pick(PLACES),
            if held { "held" } else { "planned" },
            facilitator,
            recorder,
            confidential,
            basis,
            held && self.rng.chance(20),
            referred_by,
            case_ref,
            lead,
            if case { *self.rng.pick(RISKS) } else { "" },
            if case { *self.rng.pick(RISKS) } else { "" },
            policy,
            remaining,
            if approved { "approved" } else { "draft" },
            if approved { Some(stamp.clone()) } else { None },
            stamp,
            new_uid().to_string(),
        ])?;
        let meeting = self.conn.last_insert_rowid();
        self.meetings += 1;
        self.rows += 1;
        if !held {
            return Ok(());
        }
        for (position, (agency, name, title, role, attendance)) in people.iter().enumerate() {
            w.attendee.execute(params![
                meeting,
                position as i64 + 1,
                agency,
                name,
                title,
                role,
                attendance,
                stamp,
                new_uid().to_string()
            ])?;
            self.rows += 1;
        }
        let items: Vec<(String, Option<u32>)> = self
            .templates
            .get(&body.kind)
            .or_else(|| self.templates.get("default"))
            .cloned()
            .unwrap_or_else(|| {
                vec![
                    ("報告事項".to_owned(), Some(20)),
                    ("協議事項".to_owned(), Some(40)),
                ]
            });
        for (position, (title, minutes)) in items.iter().enumerate() {
            w.item.execute(params![
                meeting,
                position as i64 + 1,
                title,
                minutes,
                stamp,
                new_uid().to_string()
            ])?;
            let item = self.conn.last_insert_rowid();
            self.rows += 1;
            if position == 0 && title.contains("守秘義務") {
                continue;
            }
            let note = self.note(&members);
            w.entry
                .execute(params![item, "note", note, stamp, new_uid().to_string()])?;
            self.rows += 1;
            if self.rng.chance(60) {
                let topic = *self.rng.pick(TOPICS);
                let pattern = *self.rng.pick(DECISIONS);
                let decision = format!("{topic}{}", self.with_agency(pattern, &members));
                w.entry.execute(params![
                    item,
                    "decision",
                    decision,
                    stamp,
                    new_uid().to_string()
                ])?;
                self.rows += 1;
            }
        }
        for _ in 0..2 + self.rng.below(3) {
            let agency = members.first().map(|_| *self.rng.pick(&members));
            let text = format!(
                "{}{}",
                self.rng.pick(TOPICS),
                self.rng.pick(RESPONSIBILITIES)
            );
            w.role
                .execute(params![meeting, agency, text, stamp, new_uid().to_string()])?;
            self.rows += 1;
        }
        for _ in 0..2 + self.rng.below(4) {
            let agency = members.first().map(|_| *self.rng.pick(&members));
            let text = format!("{}{}", self.rng.pick(TOPICS), self.rng.pick(ACTIONS));
            let due = weekday_on_or_after(date + Duration::days(7 + self.rng.below(50) as i64));
            let status = if due >= self.today {
                if self.rng.chance(20) { "done" } else { "open" }
            } else {
                match self.rng.below(20) {
                    0 => "dropped",
                    1 | 2 => "open",
                    _ => "done",
                }
            };
            let closed = (status != "open").then(|| format!("{due}T17:00:00+09:00"));
            w.action.execute(params![
                meeting,
                agency,
                text,
                due.to_string(),
                status,
                closed,
                stamp,
                new_uid().to_string()
            ])?;
            self.rows += 1;
        }
        if case {
            for _ in 0..2 + self.rng.below(3) {
                let issue = *self.rng.pick(ISSUES);
                w.issue
                    .execute(params![meeting, issue, stamp, new_uid().to_string()])?;
                self.rows += 1;
            }
        }
        Ok(())
    }
}

fn cap(text: String, chars: usize) -> String {
    if text.chars().count() <= chars {
        text
    } else {
        text.chars().take(chars).collect()
    }
}

/// The insert statements, prepared once for the whole load.
struct Writer<'c> {
    meeting: CachedStatement<'c>,
    attendee: CachedStatement<'c>,
    item: CachedStatement<'c>,
    entry: CachedStatement<'c>,
    role: CachedStatement<'c>,
    action: CachedStatement<'c>,
    issue: CachedStatement<'c>,
}

impl<'c> Writer<'c> {
    fn new(conn: &'c Connection) -> Result<Writer<'c>> {
        Ok(Writer {
            meeting: conn.prepare_cached(
                "INSERT INTO meetings (body_id, date, start_time, end_time, place, status,
                     facilitator, recorder, confidential, basis, supervisor, referred_by, case_ref,
                     lead_agency, risk, urgency, support_policy, remaining_issues, minutes_state,
                     approved_at, approved_by, created_by, created_at, updated_at, uid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                         ?17, ?18, ?19, ?20, CASE ?19 WHEN 'approved' THEN 'demo' ELSE '' END,
                         'demo', ?21, ?21, ?22)",
            )?,
            attendee: conn.prepare_cached(
                "INSERT INTO attendees (meeting_id, position, agency_id, name, title, role,
                                        attendance, created_by, created_at, updated_at, uid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'demo', ?8, ?8, ?9)",
            )?,
            item: conn.prepare_cached(
                "INSERT INTO agenda_items (meeting_id, position, title, planned_min, created_by,
                                           created_at, updated_at, uid)
                 VALUES (?1, ?2, ?3, ?4, 'demo', ?5, ?5, ?6)",
            )?,
            entry: conn.prepare_cached(
                "INSERT INTO agenda_entries (item_id, kind, text, created_by, created_at, updated_at,
                                             uid)
                 VALUES (?1, ?2, ?3, 'demo', ?4, ?4, ?5)",
            )?,
            role: conn.prepare_cached(
                "INSERT INTO role_assignments (meeting_id, agency_id, responsibility, created_by,
                                               created_at, updated_at, uid)
                 VALUES (?1, ?2, ?3, 'demo', ?4, ?4, ?5)",
            )?,
            action: conn.prepare_cached(
                "INSERT INTO next_actions (meeting_id, agency_id, text, due_date, status,
                                           closed_at, created_by, created_at, updated_at, uid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'demo', ?7, ?7, ?8)",
            )?,
            issue: conn.prepare_cached(
                "INSERT INTO case_issues (meeting_id, category, created_by, created_at, uid)
                 VALUES (?1, ?2, 'demo', ?3, ?4)",
            )?,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Meetings a year the generator gives a body with this frequency.
    fn per_year_of(freq: &Frequency) -> u32 {
        if !freq.months.is_empty() {
            return freq.months.len() as u32;
        }
        match freq.expected_per_year() {
            Some(n) => n.min(crate::domain::schedule::MAX_PER_YEAR),
            None if freq.ad_hoc || freq.unknown => AD_HOC_PER_YEAR,
            None => 0,
        }
    }

    /// A city's making says each ward as it is committed (a city of 24 wards at scale 100 took
    /// half an hour of a silent terminal): every ward once, in order, with the city so far.
    #[test]
    fn a_city_says_each_ward_as_it_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
        let path = dir.path().join("renkei.db");
        let mut store = Store::open(&path, crate::clock::Clock::fixed(now)).unwrap();
        let mut said = Vec::new();
        // Two wards show the order and the growth (three took a third longer, suite time).
        let summary = load_city_saying(&mut store, 1, 2, &mut |w| said.push(w.clone())).unwrap();
        let names: Vec<(u32, u32, &str)> = said
            .iter()
            .map(|w| (w.number, w.of, w.name.as_str()))
            .collect();
        assert_eq!(names, [(1, 2, "都島区"), (2, 2, "福島区")]);
        // The city so far grows ward by ward and ends as the whole.
        assert!(said[0].summary.meetings < said[1].summary.meetings);
        assert!(said[0].summary.bodies < said[1].summary.bodies);
        assert_eq!(said[1].summary, summary);
        // A ward alone says nothing: it is one transaction of under a minute.
        let mut store =
            Store::open(&dir.path().join("ward.db"), crate::clock::Clock::fixed(now)).unwrap();
        let mut count = 0;
        load_city_saying(&mut store, 2, 1, &mut |_| count += 1).unwrap();
        assert_eq!(count, 0);
    }

    #[test]
    fn every_generated_frequency_is_read_as_its_count() {
        for (text, n) in FREQUENCIES {
            let freq = frequency::parse(text);
            assert_eq!(per_year_of(&freq), *n, "{text}: {freq:?}");
        }
    }

    #[test]
    fn notes_are_sentences_of_real_length() {
        let conn = Connection::open_in_memory().unwrap();
        let mut generator = Generator {
            conn: &conn,
            rng: Rng(SEED),
            today: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
            scale: 2,
            ward: None,
            bodies: Vec::new(),
            agencies: vec![(1, "地域包括支援センター".to_owned())],
            agency_names: [(1, "地域包括支援センター".to_owned())]
                .into_iter()
                .collect(),
            templates: HashMap::new(),
            meetings: 0,
            rows: 0,
            held: 0,
        };
        for _ in 0..500 {
            let note = generator.note(&[1]);
            let n = note.chars().count();
            assert!((20..=80).contains(&n), "{n}: {note}");
        }
    }
}
