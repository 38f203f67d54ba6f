//! `secure-access records import KIND FILE`: stream a JSON Lines file (gzip when the
//! name ends in `.gz`) into the embedded reference tables.
//!
//! - Every line is parsed and validated by [`parse_line`]; a bad line (bad JSON, a
//!   missing or invalid field, not UTF-8, longer than [`MAX_LINE_BYTES`]) is printed to
//!   stderr as `line N: FIELD: REASON`, never with its value, and counted as rejected;
//!   the other lines still load. At most [`MAX_SHOWN_REJECTIONS`] are printed, then how
//!   many more there were.
//! - Good lines are fingerprinted and sealed ([`ReferenceRow::from_record`]) and
//!   upserted in batches of [`BATCH_ROWS`], one transaction per batch, so importing the
//!   same file twice changes nothing (`unchanged N`). Where the database writes in
//!   parallel (PostgreSQL), each batch is split between a few writers by key
//!   ([`ReferenceStore::import_writers`]): rows of one key always go to the same writer,
//!   in file order.
//! - Memory stays flat: a blocking task reads one line at a time into a reused buffer
//!   (capped at [`MAX_LINE_BYTES`]) and hands full batches to the writers over channels
//!   of [`BATCHES_IN_FLIGHT`], so at most a few batches exist at once whatever the file
//!   size; rejections are counted, not kept.
//! - Progress goes to stderr when it is a terminal (bytes of the file for plain files,
//!   lines per second for `.gz`), and nowhere otherwise.
//! - Logs carry counts only.

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use sa_domain::DomainError;
use sa_domain::clock::Clock;
use sa_domain::keys::Keyring;
use sa_domain::proofing::records::{RecordError, RecordKind, parse_line};
use sa_domain::proofing::sources::{ReferenceRow, ReferenceStore, UpsertCounts};
use time::OffsetDateTime;
use tokio::sync::mpsc;

use crate::config::Config;
use crate::wiring::{load_keyring, open_store};

/// Rows upserted per transaction.
pub const BATCH_ROWS: usize = 1000;
/// Full batches waiting for the database while the next one is read.
pub const BATCHES_IN_FLIGHT: usize = 2;
/// A longer line is rejected without being kept in memory (records are a few hundred bytes).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;
/// Rejected lines printed to stderr; later ones are only counted.
pub const MAX_SHOWN_REJECTIONS: u64 = 100;

/// What an import did, printed as `loaded N, updated N, unchanged N, rejected N`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub loaded: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "loaded {}, updated {}, unchanged {}, rejected {}",
            self.loaded, self.updated, self.unchanged, self.rejected
        )
    }
}

/// Import `file` as records of `kind` into the database of `config`, printing each
/// rejected line to stderr. Fails (after committing the batches before) only when the
/// file cannot be read or the database fails; a re-run is safe either way.
pub async fn run(
    config: &Config,
    clock: Arc<dyn Clock>,
    kind: RecordKind,
    file: &Path,
) -> anyhow::Result<ImportReport> {
    let input = Input::open(file)?;
    let keys = Arc::new(load_keyring(config)?);
    let store = open_store(config).await?;
    let shared: Arc<dyn ReferenceStore> = Arc::new(store.clone());
    let outcome = import(shared, keys, clock.now(), kind, input, std::io::stderr()).await;
    store.close().await;
    let report = outcome?;
    tracing::info!(
        kind = kind.as_str(),
        loaded = report.loaded,
        updated = report.updated,
        unchanged = report.unchanged,
        rejected = report.rejected,
        "records import finished"
    );
    Ok(report)
}

/// The opened file: a line reader (decompressing `.gz`) and its progress bar.
struct Input {
    reader: Box<dyn BufRead + Send>,
    progress: ProgressBar,
    /// Progress counts lines (gzip: the decompressed size is unknown up front).
    counts_lines: bool,
    name: String,
}

impl Input {
    fn open(path: &Path) -> anyhow::Result<Self> {
        let name = path.display().to_string();
        let file = File::open(path).with_context(|| format!("cannot open {name}"))?;
        let gzip = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(".gz"));
        let terminal = std::io::stderr().is_terminal();
        if gzip {
            let progress = if terminal {
                lines_spinner()
            } else {
                ProgressBar::hidden()
            };
            let decoder = flate2::read::MultiGzDecoder::new(file);
            Ok(Self {
                reader: Box::new(BufReader::with_capacity(64 * 1024, decoder)),
                progress,
                counts_lines: true,
                name,
            })
        } else {
            let progress = if terminal {
                let size = file
                    .metadata()
                    .with_context(|| format!("cannot read {name}"))?
                    .len();
                bytes_bar(size)
            } else {
                ProgressBar::hidden()
            };
            let reader = progress.wrap_read(file);
            Ok(Self {
                reader: Box::new(BufReader::with_capacity(64 * 1024, reader)),
                progress,
                counts_lines: false,
                name,
            })
        }
    }
}

fn bytes_bar(size: u64) -> ProgressBar {
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] [{wide_bar}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::new(size).with_style(style)
}

fn lines_spinner() -> ProgressBar {
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {human_pos} lines ({lines_per_sec} lines/s)",
    )
    .map(|style| {
        style.with_key(
            "lines_per_sec",
            |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
                let _ = write!(out, "{:.0}", state.per_sec());
            },
        )
    })
    .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let bar = ProgressBar::new_spinner().with_style(style);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// The pipeline: a blocking task reads, parses and seals; one task per writer upserts
/// its share of each batch.
async fn import<W: Write + Send + 'static>(
    store: Arc<dyn ReferenceStore>,
    keys: Arc<Keyring>,
    imported_at: OffsetDateTime,
    kind: RecordKind,
    input: Input,
    rejections_out: W,
) -> anyhow::Result<ImportReport> {
    // One channel and one writer per partition of the keys (see `ReferenceKey::writer`).
    let writers = store.import_writers().max(1);
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..writers)
        .map(|_| mpsc::channel::<Vec<ReferenceRow>>(BATCHES_IN_FLIGHT))
        .unzip();
    let progress = input.progress.clone();
    let name = input.name.clone();
    let reader = tokio::task::spawn_blocking(move || {
        let mut rejections = Rejections::new(rejections_out, input.progress.clone());
        let read = read_rows(
            input.reader,
            kind,
            &keys,
            imported_at,
            &mut rejections,
            input.counts_lines.then_some(&input.progress),
            |batch| send_partitioned(&senders, batch),
        );
        rejections.finish();
        read.map(|lines| (lines, rejections.total))
    });

    let mut writing = tokio::task::JoinSet::new();
    for batches in receivers {
        writing.spawn(write_batches(store.clone(), batches));
    }
    let mut counts = UpsertCounts::default();
    let mut failure = None;
    while let Some(outcome) = writing.join_next().await {
        match outcome.context("an import writer stopped unexpectedly")? {
            Ok(done) => counts += done,
            Err(error) => failure = failure.or(Some(error)),
        }
    }
    let read = reader
        .await
        .context("the file reader stopped unexpectedly")?;
    progress.finish_and_clear();

    if let Some(error) = failure {
        anyhow::bail!(
            "import of {name} stopped: {error}; earlier batches were committed and importing the file again is safe"
        );
    }
    let (lines, rejected) = read.with_context(|| format!("import of {name} stopped"))?;
    tracing::debug!(lines, "records file read");
    Ok(ImportReport {
        loaded: counts.loaded,
        updated: counts.updated,
        unchanged: counts.unchanged,
        rejected,
    })
}

/// Upsert every batch that arrives, one after another. On a failure the receiver is
/// dropped, which stops the reader at its next batch (and with it the other writers).
async fn write_batches(
    store: Arc<dyn ReferenceStore>,
    mut batches: mpsc::Receiver<Vec<ReferenceRow>>,
) -> Result<UpsertCounts, sa_domain::store::StoreError> {
    let mut counts = UpsertCounts::default();
    while let Some(batch) = batches.recv().await {
        let size = batch.len();
        counts += store.upsert_reference_rows(batch).await?;
        tracing::debug!(rows = size, "reference batch upserted");
    }
    Ok(counts)
}

/// Split a batch by writer (rows of one key always to the same writer, in file order)
/// and hand each part over; `false` once any writer has stopped.
fn send_partitioned(senders: &[mpsc::Sender<Vec<ReferenceRow>>], batch: Vec<ReferenceRow>) -> bool {
    if let [only] = senders {
        return only.blocking_send(batch).is_ok();
    }
    let mut parts: Vec<Vec<ReferenceRow>> = senders.iter().map(|_| Vec::new()).collect();
    for row in batch {
        let writer = row.key.writer(senders.len());
        parts[writer].push(row);
    }
    senders
        .iter()
        .zip(parts)
        .filter(|(_, part)| !part.is_empty())
        .all(|(sender, part)| sender.blocking_send(part).is_ok())
}

/// Rejected lines: printed (up to [`MAX_SHOWN_REJECTIONS`]) and counted, never kept.
struct Rejections<W: Write> {
    out: W,
    progress: ProgressBar,
    total: u64,
}

impl<W: Write> Rejections<W> {
    fn new(out: W, progress: ProgressBar) -> Self {
        Self {
            out,
            progress,
            total: 0,
        }
    }

    fn reject(&mut self, line: u64, error: &RecordError) {
        self.total += 1;
        if self.total <= MAX_SHOWN_REJECTIONS {
            let out = &mut self.out;
            // A failed write to stderr is not worth stopping the import for.
            let _ = self
                .progress
                .suspend(|| writeln!(out, "line {line}: {error}"));
        }
    }

    fn finish(&mut self) {
        if self.total > MAX_SHOWN_REJECTIONS {
            let more = self.total - MAX_SHOWN_REJECTIONS;
            let out = &mut self.out;
            let _ = self
                .progress
                .suspend(|| writeln!(out, "... and {more} more rejected line(s) not shown"));
        }
        let _ = self.out.flush();
    }
}

fn rejected(field: &str, reason: &str) -> RecordError {
    RecordError {
        field: field.to_owned(),
        reason: reason.to_owned(),
    }
}

/// Read every line, send full batches of rows to `send` (which answers `false` when the
/// receiving side has stopped), report bad lines. Returns how many lines were read.
fn read_rows<R: BufRead, W: Write>(
    mut input: R,
    kind: RecordKind,
    keys: &Keyring,
    imported_at: OffsetDateTime,
    rejections: &mut Rejections<W>,
    line_progress: Option<&ProgressBar>,
    mut send: impl FnMut(Vec<ReferenceRow>) -> bool,
) -> anyhow::Result<u64> {
    let mut buf = Vec::with_capacity(4096);
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    let mut line_no: u64 = 0;
    loop {
        buf.clear();
        if buf.capacity() > 64 * 1024 {
            buf.shrink_to(64 * 1024);
        }
        let too_long = match read_line_capped(&mut input, &mut buf, MAX_LINE_BYTES) {
            Ok(Some(too_long)) => too_long,
            Ok(None) => break,
            Err(error) => anyhow::bail!("cannot read the file after line {line_no}: {error}"),
        };
        line_no += 1;
        if let Some(progress) = line_progress {
            progress.inc(1);
        }
        if too_long {
            rejections.reject(line_no, &rejected("line", "longer than 1 MiB"));
            continue;
        }
        let mut bytes = buf.as_slice();
        bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if line_no == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            rejections.reject(line_no, &rejected("line", "not valid UTF-8"));
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        match parse_line(kind, text) {
            Ok(record) => {
                let row = ReferenceRow::from_record(&record, keys, imported_at)
                    .map_err(|e| anyhow::anyhow!("line {line_no}: {}", domain_detail(&e)))?;
                batch.push(row);
            }
            Err(error) => rejections.reject(line_no, &error),
        }
        if batch.len() >= BATCH_ROWS
            && !send(std::mem::replace(
                &mut batch,
                Vec::with_capacity(BATCH_ROWS),
            ))
        {
            // The database side failed and said why; stop reading.
            return Ok(line_no);
        }
    }
    if !batch.is_empty() {
        send(batch);
    }
    Ok(line_no)
}

/// The log detail of a domain error (its `Display` is written for applicants).
fn domain_detail(error: &DomainError) -> String {
    match error {
        DomainError::Unavailable { detail } => detail.clone(),
        other => other.to_string(),
    }
}

/// Read one line (through `\n`, or to the end of the input) into `buf`, keeping at most
/// `max` bytes of it. `Ok(None)` at the end of the input; `Ok(Some(true))` when the line
/// was longer than `max` (the rest was read and dropped, so memory stays bounded).
fn read_line_capped<R: BufRead>(
    input: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Option<bool>> {
    let mut read_any = false;
    let mut too_long = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok(read_any.then_some(too_long));
        }
        read_any = true;
        let (chunk, ends_line) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let room = max.saturating_sub(buf.len());
        if chunk.len() > room {
            too_long = true;
            buf.extend_from_slice(&chunk[..room]);
        } else {
            buf.extend_from_slice(chunk);
        }
        let used = chunk.len();
        input.consume(used);
        if ends_line {
            return Ok(Some(too_long));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sa_domain::keys::KeyMaterial;
    use std::io::Cursor;

    const RETURN: &str = r#"{"ssn":"900-00-0001","tax_year":2025,"first_name":"Avery","last_name":"Testperson","date_of_birth":"1980-04-01","filing_status":"single","address":{"street":"100 Example St","city":"Testville","state":"VA","zip":"22000"},"agi":71000}"#;

    fn keys() -> Keyring {
        Keyring::new(&KeyMaterial::generate()).unwrap()
    }

    fn lines(input: &[u8], max: usize) -> Vec<(Vec<u8>, bool)> {
        let mut reader = BufReader::with_capacity(4, Cursor::new(input.to_vec()));
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while let Some(too_long) = read_line_capped(&mut reader, &mut buf, max).unwrap() {
            out.push((std::mem::take(&mut buf), too_long));
        }
        out
    }

    #[test]
    fn lines_are_read_across_buffer_refills_and_capped() {
        assert_eq!(
            lines(b"ab\ncdefgh\n\nlast", 100),
            vec![
                (b"ab\n".to_vec(), false),
                (b"cdefgh\n".to_vec(), false),
                (b"\n".to_vec(), false),
                (b"last".to_vec(), false),
            ]
        );
        assert_eq!(
            lines(b"0123456789abcdef\nok\n", 5),
            vec![(b"01234".to_vec(), true), (b"ok\n".to_vec(), false)]
        );
        assert!(lines(b"", 5).is_empty());
    }

    fn read(input: &[u8]) -> (Vec<Vec<ReferenceRow>>, u64, u64, String) {
        let keys = keys();
        let mut out = Vec::new();
        let mut rejections = Rejections::new(&mut out, ProgressBar::hidden());
        let mut batches = Vec::new();
        let lines = read_rows(
            Cursor::new(input.to_vec()),
            RecordKind::TaxReturns,
            &keys,
            OffsetDateTime::now_utc(),
            &mut rejections,
            None,
            |batch| {
                batches.push(batch);
                true
            },
        )
        .unwrap();
        rejections.finish();
        let total = rejections.total;
        (batches, lines, total, String::from_utf8(out).unwrap())
    }

    #[test]
    fn bad_lines_are_reported_by_number_field_and_reason_without_values() {
        let mut input = Vec::new();
        input.extend_from_slice(b"\xEF\xBB\xBF");
        input.extend_from_slice(RETURN.as_bytes());
        input.extend_from_slice(b"\r\n\n   \n{not json\n");
        input.extend_from_slice(RETURN.replace("900-00-0001", "900-00-001").as_bytes());
        input.extend_from_slice(b"\n");
        input.extend_from_slice(b"{\"ssn\":\"900\xFF\"}\n");
        input.extend_from_slice(RETURN.replace("2025", "2024").as_bytes());
        let (batches, lines, rejected, printed) = read(&input);
        assert_eq!(lines, 7);
        assert_eq!(rejected, 3);
        assert_eq!(batches.len(), 1);
        assert_eq!(batches[0].len(), 2);
        assert_eq!(
            printed,
            "line 4: line: not valid JSON (syntax error)\n\
             line 5: ssn: must be 9 digits (dashes allowed as 123-45-6789)\n\
             line 6: line: not valid UTF-8\n"
        );
    }

    #[test]
    fn batches_are_bounded_and_printed_rejections_capped() {
        let mut input = String::new();
        for i in 0..(BATCH_ROWS + 5) {
            input.push_str(&RETURN.replace("900-00-0001", &format!("900{i:06}")));
            input.push('\n');
        }
        for _ in 0..(MAX_SHOWN_REJECTIONS + 7) {
            input.push_str("[]\n");
        }
        let (batches, _, rejected, printed) = read(input.as_bytes());
        assert_eq!(
            batches.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![BATCH_ROWS, 5]
        );
        assert_eq!(rejected, MAX_SHOWN_REJECTIONS + 7);
        assert_eq!(
            printed.lines().count() as u64,
            MAX_SHOWN_REJECTIONS + 1,
            "the cap, then one summary line"
        );
        assert!(printed.ends_with("... and 7 more rejected line(s) not shown\n"));
    }

    #[test]
    fn reading_stops_when_the_database_side_stops() {
        let keys = keys();
        let mut input = String::new();
        for i in 0..(3 * BATCH_ROWS) {
            input.push_str(&RETURN.replace("900-00-0001", &format!("900{i:06}")));
            input.push('\n');
        }
        let mut rejections = Rejections::new(Vec::new(), ProgressBar::hidden());
        let mut sent = 0;
        let lines = read_rows(
            Cursor::new(input),
            RecordKind::TaxReturns,
            &keys,
            OffsetDateTime::now_utc(),
            &mut rejections,
            None,
            |_| {
                sent += 1;
                false
            },
        )
        .unwrap();
        assert_eq!(sent, 1);
        assert_eq!(lines, BATCH_ROWS as u64);
    }

    #[test]
    fn the_report_prints_as_the_spec_says() {
        let report = ImportReport {
            loaded: 3,
            updated: 1,
            unchanged: 2,
            rejected: 4,
        };
        assert_eq!(
            report.to_string(),
            "loaded 3, updated 1, unchanged 2, rejected 4"
        );
    }
}
