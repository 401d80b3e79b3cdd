//! Joint actions (docs/actions.md): a plan attached to a concern or a coalition,
//! with tasks each owned by an organisation, with a due date and a status, progress
//! notes, and the "what is stuck" view for coordinators.
//!
//! An action is a row of `records` (kind `joint_action`): its level decides who sees
//! it, its tasks and its notes. Organisers, and the coordinators of the coalition an
//! action belongs to, plan it (tasks, owners, dates); members acting for a task's
//! owning organisation move that task along; any member who sees the action adds
//! progress notes. Every task change is audited.

use std::collections::HashMap;

use crate::access::envelope::NewRow;
use crate::access::{kinds, visible, Envelope, Scope};
use crate::audit::{AuditAction, Event};
use crate::error::{Error, Invalid, Result};
use crate::model::{Kind, Level};
use crate::storage::{bind_all, int, opt_int, opt_text, text, Bind, Db};
use crate::util::now;

/// Days without news after which an open task counts as stuck.
pub const STALE_DAYS: i64 = 14;

/// A task's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    Todo,
    Doing,
    Blocked,
    Done,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] = [
        TaskStatus::Todo,
        TaskStatus::Doing,
        TaskStatus::Blocked,
        TaskStatus::Done,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Todo => "todo",
            TaskStatus::Doing => "doing",
            TaskStatus::Blocked => "blocked",
            TaskStatus::Done => "done",
        }
    }
    pub fn parse(s: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A new joint action.
#[derive(Debug, Clone)]
pub struct NewAction {
    pub title: String,
    pub plan: String,
    pub level: Level,
    pub concern: Option<i64>,
    pub coalition: Option<i64>,
}

/// A task as pages show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Task {
    pub id: i64,
    pub action_id: i64,
    pub title: String,
    /// The owning organisation: (id, name) when the viewer may see it.
    pub owner: Option<(i64, String)>,
    pub due_on: Option<String>,
    pub status: TaskStatus,
    pub blocked_reason: String,
    pub updated_at: i64,
    /// Whether the viewer may change it.
    pub may_update: bool,
}

/// A progress note.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Note {
    pub author: String,
    pub task: Option<String>,
    pub body: String,
    pub created_at: i64,
}

/// A joint action the viewer may see.
#[derive(Debug, Clone)]
pub struct Action {
    pub id: i64,
    pub title: String,
    pub plan: String,
    pub level: Level,
    /// The concern and coalition it belongs to, when the viewer may see them.
    pub concern: Option<(i64, String)>,
    pub coalition: Option<(i64, String)>,
    pub tasks: Vec<Task>,
    pub notes: Vec<Note>,
    /// Whether the viewer plans it (adds tasks, changes any task).
    pub may_plan: bool,
    /// Whether the viewer may add notes.
    pub may_note: bool,
}

/// Why a task is stuck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Stuck {
    /// Marked blocked, with its reason.
    Blocked,
    /// Past its due date and not done (days late).
    Overdue(i64),
    /// Open, with no change or note for this many days.
    Stale(i64),
}

/// A stuck task with its action.
#[derive(Debug, Clone)]
pub struct StuckTask {
    pub task: Task,
    pub action_title: String,
    pub why: Stuck,
}

/// Days from one `YYYY-MM-DD` date to another (positive when `to` is later).
fn days_between(from: &str, to: &str) -> Option<i64> {
    let a: jiff::civil::Date = from.parse().ok()?;
    let b: jiff::civil::Date = to.parse().ok()?;
    Some(i64::from((b - a).get_days()))
}

/// Why a task is stuck on `today` at `t`, if it is: blocked first, then overdue,
/// then stale.
pub fn stuck(task: &Task, today: &str, t: i64) -> Option<Stuck> {
    match task.status {
        TaskStatus::Done => None,
        TaskStatus::Blocked => Some(Stuck::Blocked),
        _ => {
            if let Some(late) = task
                .due_on
                .as_deref()
                .and_then(|d| days_between(d, today))
                .filter(|d| *d > 0)
            {
                return Some(Stuck::Overdue(late));
            }
            let quiet = (t - task.updated_at) / 86_400;
            (quiet >= STALE_DAYS).then_some(Stuck::Stale(quiet))
        }
    }
}

fn validate_task(title: &str, due_on: Option<&str>) -> Result<()> {
    let mut problems = Vec::new();
    if title.trim().is_empty() || title.chars().count() > 300 {
        problems.push(Invalid {
            field: "title",
            key: "error-required",
        });
    }
    if let Some(d) = due_on {
        if !crate::records::valid_date(d) {
            problems.push(Invalid {
                field: "due_on",
                key: "error-date",
            });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

impl Db {
    /// The space's date today, in its time zone.
    pub fn space_today(&self, scope: &Scope) -> String {
        crate::activities::unix_to_local(now(), &scope.space.time_zone)
            .chars()
            .take(10)
            .collect()
    }

    async fn coordinates(&self, scope: &Scope, coalition: i64) -> Result<bool> {
        match scope.viewer_id() {
            Some(uid) if scope.role().is_some() => Ok(sqlx::query(
                "SELECT user_id FROM coalition_coordinators WHERE coalition_id = $1 AND user_id = $2",
            )
            .bind(coalition)
            .bind(uid)
            .fetch_optional(&self.pool)
            .await?
            .is_some()),
            _ => Ok(false),
        }
    }

    /// Starts a joint action (organisers, or coordinators of its coalition;
    /// audited). Its concern and coalition must be ones the viewer sees.
    pub async fn create_action(&self, scope: &Scope, new: &NewAction) -> Result<i64> {
        let author = scope.viewer_id().ok_or(Error::Forbidden)?;
        if scope.role().is_none() {
            return Err(Error::Forbidden);
        }
        if let Some(c) = new.coalition {
            self.coalition(scope, c).await?;
        }
        let coordinator = match new.coalition {
            Some(c) => self.coordinates(scope, c).await?,
            None => false,
        };
        if !(scope.is_organiser() || coordinator) {
            return Err(Error::Forbidden);
        }
        if let Some(c) = new.concern {
            self.get_record(scope, Kind::Concern, c).await?;
        }
        let (title, plan) = (new.title.trim(), new.plan.trim());
        if title.is_empty() || title.chars().count() > 300 {
            return Err(Error::invalid("title", "error-required"));
        }
        if plan.chars().count() > 20_000 {
            return Err(Error::invalid("plan", "error-too-long"));
        }
        let mut tx = self.pool.begin().await?;
        let id = self
            .insert_record(
                &mut tx,
                scope,
                author,
                NewRow {
                    kind: kinds::JOINT_ACTION,
                    title,
                    body: plan,
                    search: &format!("{title}\n{plan}").to_lowercase(),
                },
                &Envelope::at(new.level),
            )
            .await?;
        sqlx::query(
            "INSERT INTO joint_actions (record_id, space_id, concern_id, coalition_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(scope.space.id)
        .bind(new.concern)
        .bind(new.coalition)
        .execute(&mut *tx)
        .await?;
        self.audit_in(
            &mut tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: Some(author),
                action: AuditAction::RecordCreate,
                target: format!("joint_action:{id}"),
                detail: format!("level={}", new.level.as_str()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The joint actions the viewer may see, optionally of one concern or one
    /// coalition: (id, title, open tasks, tasks).
    pub async fn actions(
        &self,
        scope: &Scope,
        concern: Option<i64>,
        coalition: Option<i64>,
    ) -> Result<Vec<(i64, String, i64, i64)>> {
        let mut binds = vec![Bind::I(scope.space.id)];
        let mut filter = String::new();
        if let Some(c) = concern {
            binds.push(Bind::I(c));
            filter.push_str(&format!(" AND j.concern_id = ${}", binds.len()));
        }
        if let Some(c) = coalition {
            binds.push(Bind::I(c));
            filter.push_str(&format!(" AND j.coalition_id = ${}", binds.len()));
        }
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.id, r.title,
                (SELECT COUNT(*) FROM action_tasks t WHERE t.action_id = r.id AND t.status <> 'done') AS open,
                (SELECT COUNT(*) FROM action_tasks t WHERE t.action_id = r.id) AS total
             FROM records r JOIN joint_actions j ON j.record_id = r.id
             WHERE r.kind = 'joint_action' AND j.space_id = $1{filter} AND {rule} ORDER BY r.id DESC"
        );
        let rows = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    int(r, "id")?,
                    text(r, "title")?,
                    int(r, "open")?,
                    int(r, "total")?,
                ))
            })
            .collect()
    }

    /// The organisations the viewer acts for, as ids.
    async fn acting_for(&self, scope: &Scope) -> Result<Vec<i64>> {
        Ok(self
            .my_organisations(scope)
            .await?
            .into_iter()
            .map(|o| o.id)
            .collect())
    }

    /// Tasks of the given actions (already visible to the viewer).
    async fn tasks_of(
        &self,
        scope: &Scope,
        actions: &[(i64, bool)],
        names: &HashMap<i64, String>,
        mine: &[i64],
    ) -> Result<Vec<Task>> {
        if actions.is_empty() {
            return Ok(vec![]);
        }
        let plan: HashMap<i64, bool> = actions.iter().copied().collect();
        let list = actions
            .iter()
            .map(|(id, _)| id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        // Ids are integers read from the database: safe to inline.
        let sql = format!(
            "SELECT id, action_id, title, org_id, due_on, status, blocked_reason, updated_at
             FROM action_tasks WHERE space_id = $1 AND action_id IN ({list})
             ORDER BY (due_on IS NULL), due_on, id"
        );
        let rows = sqlx::query(&sql)
            .bind(scope.space.id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let org = opt_int(r, "org_id")?;
                let action_id = int(r, "action_id")?;
                Ok(Task {
                    id: int(r, "id")?,
                    action_id,
                    title: text(r, "title")?,
                    owner: org.and_then(|o| names.get(&o).map(|n| (o, n.clone()))),
                    due_on: opt_text(r, "due_on")?,
                    status: TaskStatus::parse(&text(r, "status")?).unwrap_or(TaskStatus::Todo),
                    blocked_reason: text(r, "blocked_reason")?,
                    updated_at: int(r, "updated_at")?,
                    may_update: plan.get(&action_id).copied().unwrap_or(false)
                        || org.is_some_and(|o| mine.contains(&o)),
                })
            })
            .collect()
    }

    /// One joint action with its tasks and notes: `NotFound` unless the viewer may
    /// see it.
    pub async fn action(&self, scope: &Scope, id: i64) -> Result<Action> {
        let mut binds = vec![Bind::I(scope.space.id), Bind::I(id)];
        let rule = visible(scope, &mut binds);
        let sql = format!(
            "SELECT r.id, r.title, r.body, r.confidentiality, j.concern_id, j.coalition_id
             FROM records r JOIN joint_actions j ON j.record_id = r.id
             WHERE r.kind = 'joint_action' AND j.space_id = $1 AND r.id = $2 AND {rule}"
        );
        let row = bind_all(sqlx::query(&sql), binds)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        let concern = match opt_int(&row, "concern_id")? {
            Some(c) => match self.get_record(scope, Kind::Concern, c).await {
                Ok(r) => Some((c, r.title)),
                Err(Error::NotFound) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        let (coalition, coordinator) = match opt_int(&row, "coalition_id")? {
            Some(c) => match self.coalition(scope, c).await {
                Ok(k) => (Some((c, k.name)), k.coordinating),
                Err(Error::NotFound) => (None, false),
                Err(e) => return Err(e),
            },
            None => (None, false),
        };
        let may_plan = scope.is_organiser() || coordinator;
        let names: HashMap<i64, String> = self
            .organisations(scope, None)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let mine = self.acting_for(scope).await?;
        let tasks = self
            .tasks_of(scope, &[(id, may_plan)], &names, &mine)
            .await?;
        let titles: HashMap<i64, String> = tasks.iter().map(|t| (t.id, t.title.clone())).collect();
        let rows = sqlx::query(
            "SELECT n.task_id, n.body, n.created_at, u.display_name FROM action_notes n
             LEFT JOIN users u ON u.id = n.user_id WHERE n.action_id = $1 ORDER BY n.created_at DESC, n.id DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let chatham = scope.space.chatham_house;
        let notes = rows
            .iter()
            .map(|r| {
                Ok(Note {
                    author: if chatham {
                        String::new()
                    } else {
                        opt_text(r, "display_name")?.unwrap_or_default()
                    },
                    task: opt_int(r, "task_id")?.and_then(|t| titles.get(&t).cloned()),
                    body: text(r, "body")?,
                    created_at: int(r, "created_at")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Action {
            id,
            title: text(&row, "title")?,
            plan: text(&row, "body")?,
            level: Level::from_i64(int(&row, "confidentiality")?)
                .ok_or_else(|| Error::Internal("unknown level".into()))?,
            concern,
            coalition,
            tasks,
            notes,
            may_plan,
            may_note: scope.role().is_some(),
        })
    }

    async fn action_audit(
        &self,
        scope: &Scope,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        action: i64,
        detail: String,
    ) -> Result<()> {
        self.audit_in(
            tx,
            Event {
                space_id: Some(scope.space.id),
                user_id: scope.viewer_id(),
                action: AuditAction::ActionChange,
                target: format!("joint_action:{action}"),
                detail,
            },
        )
        .await?;
        Ok(())
    }

    /// Adds a task owned by an organisation the viewer sees (those who plan the
    /// action; audited).
    pub async fn add_task(
        &self,
        scope: &Scope,
        action: i64,
        title: &str,
        org: Option<i64>,
        due_on: Option<&str>,
    ) -> Result<i64> {
        let a = self.action(scope, action).await?;
        if !a.may_plan {
            return Err(Error::Forbidden);
        }
        let due_on = due_on.map(str::trim).filter(|d| !d.is_empty());
        validate_task(title, due_on)?;
        if let Some(o) = org {
            if self.organisations(scope, Some(o)).await?.is_empty() {
                return Err(Error::invalid("org", "error-required"));
            }
        }
        let t = now();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO action_tasks (action_id, space_id, title, org_id, due_on, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 'todo', $6, $6) RETURNING id",
        )
        .bind(action)
        .bind(scope.space.id)
        .bind(title.trim())
        .bind(org)
        .bind(due_on)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        let id = int(&row, "id")?;
        self.action_audit(
            scope,
            &mut tx,
            action,
            format!("task:{id} add organisation:{}", org.unwrap_or(0)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Moves a task along (those who plan the action, and members acting for the
    /// task's organisation; audited). A blocked task needs its reason.
    pub async fn set_task_status(
        &self,
        scope: &Scope,
        task: i64,
        status: TaskStatus,
        reason: &str,
        due_on: Option<&str>,
    ) -> Result<()> {
        let row = sqlx::query("SELECT action_id FROM action_tasks WHERE id = $1 AND space_id = $2")
            .bind(task)
            .bind(scope.space.id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        let action = int(&row, "action_id")?;
        let a = self.action(scope, action).await?;
        let t_ = a
            .tasks
            .iter()
            .find(|t| t.id == task)
            .ok_or(Error::NotFound)?;
        if !t_.may_update {
            return Err(Error::Forbidden);
        }
        let reason = reason.trim();
        if status == TaskStatus::Blocked && reason.is_empty() {
            return Err(Error::invalid("reason", "joint-error-reason"));
        }
        if reason.chars().count() > 1000 {
            return Err(Error::invalid("reason", "error-too-long"));
        }
        let due_on = due_on.map(str::trim).filter(|d| !d.is_empty());
        if let Some(d) = due_on {
            if !crate::records::valid_date(d) {
                return Err(Error::invalid("due_on", "error-date"));
            }
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE action_tasks SET status = $1, blocked_reason = $2, due_on = COALESCE($3, due_on), updated_at = $4
             WHERE id = $5",
        )
        .bind(status.as_str())
        .bind(if status == TaskStatus::Blocked { reason } else { "" })
        .bind(due_on)
        .bind(now())
        .bind(task)
        .execute(&mut *tx)
        .await?;
        self.action_audit(
            scope,
            &mut tx,
            action,
            format!("task:{task} status={}", status.as_str()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a progress note to an action, or to one of its tasks (members who see
    /// it). A note on a task counts as news of it.
    pub async fn add_action_note(
        &self,
        scope: &Scope,
        action: i64,
        task: Option<i64>,
        body: &str,
    ) -> Result<()> {
        let a = self.action(scope, action).await?;
        if !a.may_note {
            return Err(Error::Forbidden);
        }
        if let Some(t) = task {
            if !a.tasks.iter().any(|x| x.id == t) {
                return Err(Error::NotFound);
            }
        }
        let body = body.trim();
        if body.is_empty() {
            return Err(Error::invalid("body", "error-required"));
        }
        if body.chars().count() > 4000 {
            return Err(Error::invalid("body", "error-too-long"));
        }
        let t = now();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO action_notes (action_id, task_id, user_id, body, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(action)
        .bind(task)
        .bind(scope.viewer_id())
        .bind(body)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        if let Some(task) = task {
            sqlx::query("UPDATE action_tasks SET updated_at = $1 WHERE id = $2")
                .bind(t)
                .bind(task)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// What is stuck: the open tasks of the actions the viewer sees that are
    /// blocked, overdue or quiet for [`STALE_DAYS`], blocked first, then the most
    /// late, then the quietest.
    pub async fn stuck_tasks(&self, scope: &Scope) -> Result<Vec<StuckTask>> {
        let actions = self.actions(scope, None, None).await?;
        let titles: HashMap<i64, String> = actions.iter().map(|a| (a.0, a.1.clone())).collect();
        let names: HashMap<i64, String> = self
            .organisations(scope, None)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let mine = self.acting_for(scope).await?;
        let ids: Vec<(i64, bool)> = actions
            .iter()
            .filter(|a| a.2 > 0)
            .map(|a| (a.0, scope.is_organiser()))
            .collect();
        let tasks = self.tasks_of(scope, &ids, &names, &mine).await?;
        let (today, t) = (self.space_today(scope), now());
        let mut out: Vec<StuckTask> = tasks
            .into_iter()
            .filter_map(|task| {
                stuck(&task, &today, t).map(|why| StuckTask {
                    action_title: titles.get(&task.action_id).cloned().unwrap_or_default(),
                    task,
                    why,
                })
            })
            .collect();
        let key = |s: &StuckTask| match s.why {
            Stuck::Blocked => (0, 0),
            Stuck::Overdue(d) => (1, -d),
            Stuck::Stale(d) => (2, -d),
        };
        out.sort_by_key(key);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(status: TaskStatus, due: Option<&str>, updated: i64) -> Task {
        Task {
            id: 1,
            action_id: 1,
            title: "t".into(),
            owner: None,
            due_on: due.map(String::from),
            status,
            blocked_reason: String::new(),
            updated_at: updated,
            may_update: false,
        }
    }

    #[test]
    fn stuck_is_blocked_then_overdue_then_quiet() {
        let t = 100 * 86_400;
        assert_eq!(
            stuck(&task(TaskStatus::Blocked, None, t), "2026-12-07", t),
            Some(Stuck::Blocked)
        );
        assert_eq!(
            stuck(
                &task(TaskStatus::Doing, Some("2026-12-01"), t),
                "2026-12-07",
                t
            ),
            Some(Stuck::Overdue(6))
        );
        assert_eq!(
            stuck(
                &task(TaskStatus::Todo, Some("2026-12-07"), t),
                "2026-12-07",
                t
            ),
            None,
            "due today is not late"
        );
        assert_eq!(
            stuck(
                &task(TaskStatus::Todo, None, t - 20 * 86_400),
                "2026-12-07",
                t
            ),
            Some(Stuck::Stale(20))
        );
        assert_eq!(
            stuck(
                &task(TaskStatus::Done, Some("2020-01-01"), 0),
                "2026-12-07",
                t
            ),
            None
        );
    }
}
