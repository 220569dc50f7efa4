//! Following the others on a shared database: commits by other processes make the screen reload
//! (SQLite's data_version, asked on every tick — no polling of tables), and a heartbeat says who
//! has which meeting open.

use super::app::App;
use crate::store::Store;

/// How often a running renkei says it is still there.
const HEARTBEAT: chrono::Duration = chrono::Duration::seconds(10);

/// What the last look saw: the data version, and when and with which meeting the last heartbeat
/// went out.
#[derive(Debug, Default)]
pub struct Follow {
    version: Option<i64>,
    last_beat: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The meeting the last heartbeat named: opening another one says so at once.
    meeting: Option<i64>,
}

impl Follow {
    pub fn tick(&mut self, app: &mut App, store: &mut Store) {
        if let Ok(version) = store.data_version() {
            // The first look, or a change since the last one: what is shown may be stale.
            if self.version != Some(version) {
                app.ctx.dirty = true;
            }
            self.version = Some(version);
        }
        let now = store.now();
        let meeting = app.screen().meeting();
        if meeting != self.meeting || self.last_beat.is_none_or(|beat| now - beat >= HEARTBEAT) {
            self.meeting = meeting;
            // The name the user set in the config, else the Unix login.
            let name = app
                .ctx
                .prefs
                .name
                .clone()
                .unwrap_or_else(|| store.user().to_owned());
            if store.heartbeat(&name, meeting).is_ok() {
                self.last_beat = Some(now);
            }
            // Our own heartbeat moved nothing others wrote: do not count it as their change.
            self.version = store.data_version().ok();
        }
    }
}
