//! `breachdesk board`, `board pack`, `metrics` and `comms`: the founder's view across incidents.

use crate::Failure;
use breachdesk_core::board::{Board, CellState, CommsKind, Metrics, Stat};
use breachdesk_core::timeline::NewTimelineEntry;
use breachdesk_core::{Breachdesk, Ctx};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BoardArgs {
    #[command(subcommand)]
    cmd: Option<BoardCmd>,
    /// Also the incidents closed in the last 12 months.
    #[arg(long)]
    all: bool,
}

#[derive(Subcommand)]
enum BoardCmd {
    /// The board pack: the open incidents' notices on one page, as a PDF.
    Pack {
        #[arg(long, short)]
        output: PathBuf,
        /// Who signs it off (default: the incidents' executive sponsors).
        #[arg(long)]
        signed_by: Option<String>,
    },
}

fn state(s: Option<CellState>) -> &'static str {
    s.map_or("-", CellState::label)
}

fn when(t: Option<&str>) -> String {
    t.and_then(|t| t.get(..16)).map(|t| t.replace('T', " ")).unwrap_or_else(|| "-".into())
}

fn print_board(b: &Board) {
    if b.rows.is_empty() {
        out!("No open incident.");
    } else {
        let cols: Vec<String> = b
            .columns
            .iter()
            .map(|c| c.label().split(' ').next().unwrap_or("").to_owned())
            .collect();
        out!(
            "{:<18} {:<6} {:<10} {:>9}  {}",
            "INCIDENT",
            "SEV",
            "STATUS",
            "AFFECTED",
            cols.iter().map(|c| format!("{c:<13}")).collect::<String>().trim_end()
        );
        for r in &b.rows {
            let cells: String = r.cells.iter().map(|c| format!("{:<13}", state(c.state))).collect();
            out!(
                "{:<18} {:<6} {:<10} {:>9}  {}",
                r.human_id,
                r.severity.as_str(),
                r.status.as_str(),
                breachdesk_core::text::thousands(r.affected),
                cells.trim_end()
            );
        }
        for r in &b.rows {
            out!("");
            out!(
                "{} {} (sponsor: {})",
                r.human_id,
                r.title,
                r.executive_sponsor.as_deref().unwrap_or("not assigned")
            );
            for c in &r.cells {
                for i in &c.items {
                    let conf =
                        i.confirmation.as_deref().map(|n| format!("  no. {n}")).unwrap_or_default();
                    out!(
                        "  {:<12} {:<13} {:<34} due {}{conf}",
                        c.column.label().split(' ').next().unwrap_or(""),
                        i.state.label(),
                        i.name,
                        when(i.due.as_deref())
                    );
                }
            }
        }
    }
    out!("");
    match &b.me {
        Some(me) => out!("Waiting for {me} (executive sponsor): {}", b.waiting.len()),
        None => out!("Waiting for the executive sponsor: {}", b.waiting.len()),
    }
    for w in &b.waiting {
        out!("  {:<18} due {:<17} {}", w.human_id, when(w.due.as_deref()), w.what);
    }
}

/// `board [--all]` and `board pack -o FILE`.
pub fn board(as_json: bool, bd: &Breachdesk, ctx: &Ctx, a: &BoardArgs) -> Result<(), Failure> {
    match &a.cmd {
        None => {
            let b = bd.board(ctx.now, a.all, bd.user_name()?.as_deref())?;
            if as_json {
                crate::output::json_value(&b)
            } else {
                print_board(&b);
                Ok(())
            }
        }
        Some(BoardCmd::Pack { output, signed_by }) => {
            let pack = bd.board_pack(ctx.now, signed_by.as_deref())?;
            breachdesk_core::files::AtomicFile::write_all(output, &pack.pdf)?;
            if as_json {
                return crate::output::json_value(&serde_json::json!({
                    "path": output.display().to_string(), "pages": pack.pages, "bytes": pack.pdf.len(),
                }));
            }
            out!(
                "Board pack written to {} ({} page{}, {} bytes)",
                output.display(),
                pack.pages,
                if pack.pages == 1 { "" } else { "s" },
                pack.pdf.len()
            );
            Ok(())
        }
    }
}

/// Hours as a person reads them: `15 min`, `6.0 h`, `3.2 d`.
fn span(h: f64) -> String {
    if h < 1.0 {
        format!("{:.0} min", h * 60.0)
    } else if h < 72.0 {
        format!("{h:.1} h")
    } else {
        format!("{:.1} d", h / 24.0)
    }
}

fn hours(s: &Stat) -> String {
    match (s.median, s.mean) {
        (Some(md), Some(mn)) => format!("{:>9} {:>9}  (n={})", span(md), span(mn), s.count),
        _ => format!("{:>9} {:>9}", "-", "-"),
    }
}

fn print_metrics(m: &Metrics) {
    out!(
        "{} incident{}{}",
        m.incidents,
        if m.incidents == 1 { "" } else { "s" },
        m.since.as_deref().map(|s| format!(" detected since {s}")).unwrap_or_default()
    );
    out!("");
    out!("Notices with a deadline        on time   late   overdue");
    for r in &m.on_time {
        out!("  {:<28} {:>7} {:>6} {:>9}", r.column.label(), r.on_time, r.late, r.overdue);
    }
    out!("");
    out!("Days from discovery to notice  median    mean     max");
    for (c, s) in &m.to_notice_by_column {
        out!(
            "  {:<28} {:>6.1} {:>7.1} {:>7.1}  (n={})",
            c.label(),
            s.median.unwrap_or_default(),
            s.mean.unwrap_or_default(),
            s.max.unwrap_or_default(),
            s.count
        );
    }
    for (title, groups) in [("By severity", &m.by_severity), ("By month of detection", &m.by_month)]
    {
        out!("");
        out!("{title} (median, mean)");
        for g in groups {
            out!(
                "  {} ({} incident{})",
                g.group,
                g.incidents,
                if g.incidents == 1 { "" } else { "s" }
            );
            for (name, s) in [
                ("to detect", &g.detect),
                ("to acknowledge", &g.acknowledge),
                ("to contain", &g.contain),
                ("to close", &g.close),
            ] {
                out!("    {name:<16} {}", hours(s));
            }
        }
    }
}

/// `metrics [--since DATE]`.
pub fn metrics(
    as_json: bool,
    bd: &Breachdesk,
    ctx: &Ctx,
    since: Option<&str>,
) -> Result<(), Failure> {
    let since = since.map(breachdesk_core::board::parse_since).transpose()?;
    let m = bd.metrics(ctx.now, since)?;
    if as_json {
        return crate::output::json_value(&m);
    }
    print_metrics(&m);
    Ok(())
}

/// `comms INCIDENT --kind K [--record] [-o FILE]`.
pub fn comms(
    as_json: bool,
    bd: &Breachdesk,
    ctx: &Ctx,
    incident: &str,
    kind: &str,
    record: bool,
    output: Option<&std::path::Path>,
) -> Result<(), Failure> {
    let kind = CommsKind::parse(kind)?;
    let update = bd.internal_update(incident, kind, ctx.now)?;
    let entry = if record {
        let input = NewTimelineEntry {
            occurred_at: ctx.now.to_rfc3339(),
            kind: "note".into(),
            description: update.text.trim_end().to_owned(),
            who: None,
            corrects: None,
        };
        Some(bd.add_timeline_entry(ctx, incident, &input)?)
    } else {
        None
    };
    if let Some(path) = output {
        breachdesk_core::files::AtomicFile::write_all(path, update.text.as_bytes())?;
    }
    if as_json {
        return crate::output::json_value(&serde_json::json!({
            "update": update, "recorded": entry.as_ref().map(|e| &e.id),
        }));
    }
    out!("{}", update.text.trim_end());
    if let Some(e) = entry {
        out!("");
        out!("Recorded on the timeline as note {} (the status-update clock restarts).", e.id);
    }
    Ok(())
}
