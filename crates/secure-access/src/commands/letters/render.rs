//! # Activation letters: the printable batch
//!
//! This module owns the last step before paper: it turns a batch of activation-code
//! letters into the two files a mail vendor needs.
//!
//! ```text
//!   [PrintableLetter] ──► render_pdf ──► one PDF 1.7, one US-Letter page per letter
//!          │                              (same order as the slice)
//!          └──────────► render_csv ──► manifest: one row per letter, with its page
//!                                      number, and never the activation code
//! ```
//!
//! Both functions are pure: no I/O, no clock, no randomness. The same input gives the
//! same bytes, so a batch can be re-rendered and compared.
//!
//! ## Page layout
//!
//! Each page reads like a government notice: the service name as a heading, the mailed
//! date, the recipient's address block where the window of a #10 envelope shows it
//! (about 1 inch from the left edge and 2.1 inches from the top), then, below the first
//! fold, the instructions and the activation code in 24 pt Courier inside a box.
//!
//! The PDF uses only the base-14 fonts Helvetica, Helvetica-Bold and Courier with
//! WinAnsiEncoding, so nothing is embedded. Content streams are left uncompressed,
//! which keeps the file simple and lets tests find the printed text in the raw bytes.
//! Every character outside printable ASCII is printed as `?` (names and addresses are
//! ASCII after normalisation, so this is a guard, not a transliteration);
//! `pdf-writer` escapes parentheses and backslashes inside strings.

use std::fmt;

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
use sa_i18n::{Lang, Text};
use time::Date;

/// One letter as printed.
///
/// Holds personal data (name, address, activation code), so `Debug` prints only
/// `letter_id`.
pub struct PrintableLetter {
    pub letter_id: String,
    /// Recipient's name as on the return, e.g. "ROBERTA Q SYNTHETIC".
    pub name: String,
    /// The address block lines under the name (street line, optional unit line, "CITY ST 12345-6789").
    pub address_lines: Vec<String>,
    /// The activation code as the person types it, e.g. "7KQ2-M9XD-4TRW".
    pub code: String,
    /// The language the letter is written in (the account's).
    pub language: Lang,
    pub expires_on: Date,
    pub mailed_on: Date,
}

impl fmt::Debug for PrintableLetter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrintableLetter")
            .field("letter_id", &self.letter_id)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------
// Page geometry, in PDF points (1/72 inch), origin at the bottom left.

/// US Letter, 8.5 × 11 inches.
const PAGE_WIDTH: f32 = 612.0;
const PAGE_HEIGHT: f32 = 792.0;
/// One-inch side margins.
const MARGIN_X: f32 = 72.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

/// Heading baseline: 0.75 inch margin plus the heading's own height.
const HEADING_TOP: f32 = PAGE_HEIGHT - 54.0 - HEADING.size;

/// The address block. A #10 window envelope shows roughly 2.1 to 3.1 inches from the
/// top of a letter folded in thirds, 4.5 inches wide.
const ADDRESS_TOP: f32 = PAGE_HEIGHT - 153.0 - ADDRESS.size;
const ADDRESS_WIDTH: f32 = 4.0 * 72.0;

/// The body starts below the first fold (at 11/3 inches from the top).
const BODY_TOP: f32 = PAGE_HEIGHT - 4.0 * 72.0;
const PARAGRAPH_GAP: f32 = 10.0;

/// The activation code sits in a box indented half an inch.
const CODE_INDENT: f32 = 36.0;
const CODE_PADDING: f32 = 10.0;

/// Small footer with the letter reference, so the help desk can find the batch row.
const FOOTER_BASELINE: f32 = 54.0;

/// A text style: font, size and the distance between baselines, in points.
#[derive(Clone, Copy)]
struct Style {
    font: Font,
    size: f32,
    leading: f32,
}

const HEADING: Style = Style {
    font: Font::Bold,
    size: 18.0,
    leading: 22.0,
};
const BODY: Style = Style {
    font: Font::Regular,
    size: 12.0,
    leading: 16.0,
};
const BODY_BOLD: Style = Style {
    font: Font::Bold,
    ..BODY
};
const ADDRESS: Style = Style {
    font: Font::Regular,
    size: 12.0,
    leading: 14.0,
};
const CODE: Style = Style {
    font: Font::Mono,
    size: 24.0,
    leading: 30.0,
};
const FOOTER: Style = Style {
    font: Font::Regular,
    size: 10.0,
    leading: 12.0,
};

// ---------------------------------------------------------------------------------
// Fonts.

#[derive(Clone, Copy)]
enum Font {
    Regular,
    Bold,
    Mono,
}

impl Font {
    const ALL: [Font; 3] = [Font::Regular, Font::Bold, Font::Mono];

    /// The name in the page's resource dictionary.
    fn resource(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
            Font::Mono => Name(b"F3"),
        }
    }

    fn base_font(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"Helvetica"),
            Font::Bold => Name(b"Helvetica-Bold"),
            Font::Mono => Name(b"Courier"),
        }
    }

    /// Advance width of a printable character, in thousandths of the font size (from
    /// the Adobe font metrics; WinAnsiEncoding agrees with ASCII for 32..=126 and with
    /// Latin-1 for the accented letters). An accented letter is as wide as its base
    /// letter, except the accented i's (278, like the dotless i they are drawn on).
    fn advance(self, c: char) -> u16 {
        let table = match self {
            Font::Mono => return 600,
            Font::Regular => &HELVETICA_WIDTHS,
            Font::Bold => &HELVETICA_BOLD_WIDTHS,
        };
        match c {
            'í' | 'ì' | 'î' | 'ï' => 278,
            '¿' => 611,
            '¡' => 333,
            _ => u8::try_from(latin_base(c).unwrap_or(c))
                .ok()
                .and_then(|byte| byte.checked_sub(b' '))
                .and_then(|i| table.get(usize::from(i)))
                .copied()
                // Anything else is printed as '?' (556 in Helvetica, 611 in the bold).
                .unwrap_or(611),
        }
    }

    /// Width of `text` set at `size` points.
    fn width(self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.advance(c))).sum();
        // Exact for any realistic line: u32 → f32 loses nothing below 2^24.
        units as f32 * size / 1000.0
    }
}

/// Helvetica advance widths for ' ' (32) through '~' (126).
#[rustfmt::skip]
const HELVETICA_WIDTHS: [u16; 95] = [
     278,  278,  355,  556,  556,  889,  667,  191,  333,  333,  389,  584,  278,  333,  278,  278, // ' '..'/'
     556,  556,  556,  556,  556,  556,  556,  556,  556,  556,  278,  278,  584,  584,  584,  556, // '0'..'?'
    1015,  667,  667,  722,  722,  667,  611,  778,  722,  278,  500,  667,  556,  833,  722,  778, // '@'..'O'
     667,  778,  722,  667,  611,  722,  667,  944,  667,  667,  611,  278,  278,  278,  469,  556, // 'P'..'_'
     333,  556,  556,  500,  556,  556,  278,  556,  556,  222,  222,  500,  222,  833,  556,  556, // '`'..'o'
     556,  556,  333,  500,  278,  556,  500,  722,  500,  500,  500,  334,  260,  334,  584, // 'p'..'~'
];

/// Helvetica-Bold advance widths for ' ' (32) through '~' (126).
#[rustfmt::skip]
const HELVETICA_BOLD_WIDTHS: [u16; 95] = [
     278,  333,  474,  556,  556,  889,  722,  238,  333,  333,  389,  584,  278,  333,  278,  278, // ' '..'/'
     556,  556,  556,  556,  556,  556,  556,  556,  556,  556,  333,  333,  584,  584,  584,  611, // '0'..'?'
     975,  722,  722,  722,  722,  667,  611,  778,  722,  278,  556,  722,  611,  833,  722,  778, // '@'..'O'
     667,  778,  722,  667,  611,  722,  667,  944,  667,  667,  611,  333,  278,  333,  584,  556, // 'P'..'_'
     333,  556,  611,  556,  611,  556,  333,  611,  611,  278,  278,  556,  278,  889,  611,  611, // '`'..'o'
     611,  611,  389,  556,  333,  611,  556,  778,  556,  556,  500,  389,  280,  389,  584, // 'p'..'~'
];

// ---------------------------------------------------------------------------------
// The PDF.

/// Renders the batch as one PDF (version 1.7), one US-Letter page per letter, in the
/// order given.
///
/// An empty batch still gives a valid PDF: a single page that says
/// "No letters in this batch." (a PDF with no pages is not valid, and a printer queue
/// that receives one tends to fail in confusing ways).
///
/// `service_name` and `sign_in_url` are printed on every page; like all printed text,
/// any character other than printable ASCII and the accented Latin letters (and ¿ ¡)
/// becomes `?`. Each letter is written in its own language.
pub fn render_pdf(letters: &[PrintableLetter], service_name: &str, sign_in_url: &str) -> Vec<u8> {
    let service_name = printable(service_name);
    let sign_in_url = printable(sign_in_url);

    let mut next = Ref::new(1);
    let catalog_id = next.bump();
    let tree_id = next.bump();
    let font_ids = Font::ALL.map(|font| (font, next.bump()));

    let page_contents: Vec<Content> = if letters.is_empty() {
        vec![empty_batch_page(&service_name)]
    } else {
        letters
            .iter()
            .map(|letter| letter_page(letter, &service_name, &sign_in_url))
            .collect()
    };
    // Each page needs two objects: the page and its content stream.
    let pages: Vec<(Ref, Ref, Content)> = page_contents
        .into_iter()
        .map(|content| (next.bump(), next.bump(), content))
        .collect();

    let mut pdf = Pdf::new();
    pdf.set_version(1, 7);
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(pages.iter().map(|(page_id, _, _)| *page_id))
        .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));

    for (font, id) in font_ids {
        pdf.type1_font(id)
            .base_font(font.base_font())
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }

    for (page_id, content_id, content) in pages {
        let mut page = pdf.page(page_id);
        page.parent(tree_id)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(content_id);
        {
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            for (font, id) in font_ids {
                fonts.pair(font.resource(), id);
            }
        }
        page.finish();
        // No filter: the content stays readable in the raw bytes.
        pdf.stream(content_id, &content.finish());
    }

    pdf.finish()
}

/// The page printed for one letter.
fn letter_page(letter: &PrintableLetter, service_name: &str, sign_in_url: &str) -> Content {
    let mut page = PageWriter::new();

    // Heading and mailed date, above the address window.
    let lang = letter.language;
    let say = |id: &'static str| printable(&sa_i18n::text(lang, id));
    let y = page.text(HEADING, HEADING_TOP, service_name);
    let mailed =
        Text::new("letter-mailed").with("date", sa_i18n::long_date(lang, letter.mailed_on));
    page.text(BODY, y, &printable(&mailed.render(lang)));

    // The address block, where the envelope window shows it.
    let mut y = ADDRESS_TOP;
    for line in std::iter::once(&letter.name).chain(&letter.address_lines) {
        y = page.paragraph(ADDRESS, MARGIN_X, y, ADDRESS_WIDTH, &printable(line));
    }

    // The body, below the first fold (or below a very long address block).
    let y = BODY_TOP.min(y - 2.0 * BODY.leading);
    let intro = Text::new("letter-intro")
        .with("service", service_name)
        .with("url", sign_in_url);
    let y = page.text(BODY, y, &printable(&intro.render(lang)));
    let y = page.code_box(y - PARAGRAPH_GAP, &printable(&letter.code));
    let expires =
        Text::new("letter-expires").with("date", sa_i18n::long_date(lang, letter.expires_on));
    let y = page.text(BODY, y - PARAGRAPH_GAP, &printable(&expires.render(lang)));
    let y = page.text(BODY_BOLD, y - PARAGRAPH_GAP, &say("letter-not-you"));
    page.text(BODY, y - PARAGRAPH_GAP, &say("letter-never-ask"));

    let reference = Text::new("letter-reference").with("reference", letter.letter_id.as_str());
    page.text(FOOTER, FOOTER_BASELINE, &printable(&reference.render(lang)));

    page.content
}

/// The single page of an empty batch.
fn empty_batch_page(service_name: &str) -> Content {
    let mut page = PageWriter::new();
    let y = page.text(HEADING, HEADING_TOP, service_name);
    page.text(BODY, y - PARAGRAPH_GAP, "No letters in this batch.");
    page.content
}

/// A content stream plus the few drawing moves the letter needs. Every `y` is a
/// baseline; each method returns the baseline where the next line would go.
struct PageWriter {
    content: Content,
}

impl PageWriter {
    fn new() -> Self {
        Self {
            content: Content::new(),
        }
    }

    /// Writes one line of (already printable) text, in WinAnsiEncoding.
    fn line(&mut self, style: Style, x: f32, y: f32, text: &str) {
        let encoded: Vec<u8> = text
            .chars()
            .map(|c| u8::try_from(c).unwrap_or(b'?'))
            .collect();
        self.content
            .begin_text()
            .set_font(style.font.resource(), style.size)
            .next_line(x, y)
            .show(Str(&encoded))
            .end_text();
    }

    /// Writes `text` word-wrapped to `width`, first baseline at `y`.
    fn paragraph(&mut self, style: Style, x: f32, mut y: f32, width: f32, text: &str) -> f32 {
        for line in wrap(text, style.font, style.size, width) {
            self.line(style, x, y, &line);
            y -= style.leading;
        }
        y
    }

    /// Writes `text` between the page margins.
    fn text(&mut self, style: Style, y: f32, text: &str) -> f32 {
        self.paragraph(style, MARGIN_X, y, TEXT_WIDTH, text)
    }

    /// Writes the activation code in large monospace type inside a box whose top edge
    /// is at `top`.
    fn code_box(&mut self, top: f32, code: &str) -> f32 {
        let x = MARGIN_X + CODE_INDENT;
        let width = TEXT_WIDTH - CODE_INDENT;
        let lines = wrap(code, CODE.font, CODE.size, width - 2.0 * CODE_PADDING);
        // Line count is tiny; the cast is exact.
        let count = lines.len().max(1) as f32;
        let height = (count - 1.0) * CODE.leading + CODE.size + 2.0 * CODE_PADDING;

        self.content
            .set_line_width(1.0)
            .rect(x, top - height, width, height)
            .stroke();
        // Courier capitals reach about 0.6 em above the baseline, descenders 0.16 em
        // below; 0.8 em down from the padding centres the line in the box.
        let mut baseline = top - CODE_PADDING - CODE.size * 0.8;
        for line in &lines {
            self.line(CODE, x + CODE_PADDING, baseline, line);
            baseline -= CODE.leading;
        }
        top - height - PARAGRAPH_GAP - BODY.size
    }
}

/// Greedy word wrap of printable `text` to `max_width` points. A word longer than
/// a whole line (a long URL, say) is broken between characters.
fn wrap(text: &str, font: Font, size: f32, max_width: f32) -> Vec<String> {
    let fits = |candidate: &str| font.width(candidate, size) <= max_width;
    let mut lines = Vec::new();
    let mut current = String::new();

    for word in text.split_ascii_whitespace() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate) {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        // `word` starts a new line; break it if it is wider than a line on its own.
        for c in word.chars() {
            current.push(c);
            if !fits(&current) && current.chars().count() > 1 {
                current.pop();
                lines.push(std::mem::take(&mut current));
                current.push(c);
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// The text as printed: printable ASCII, the accented Latin letters and ¿ ¡ kept (the
/// fonts have them in WinAnsiEncoding), anything else (controls, tabs, other scripts,
/// symbols) replaced by '?'.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, ' '..='~' | '¿' | '¡') || latin_base(c).is_some() {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// The unaccented letter an accented Latin-1 letter is drawn on.
fn latin_base(c: char) -> Option<char> {
    Some(match c {
        'Á' | 'À' | 'Â' | 'Ä' | 'Ã' => 'A',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'Í' | 'Ì' | 'Î' | 'Ï' => 'I',
        'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'O',
        'Ú' | 'Ù' | 'Û' | 'Ü' => 'U',
        'Ñ' => 'N',
        'Ç' => 'C',
        'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------
// The CSV manifest.

const CSV_HEADER: &str =
    "letter_id,name,address_line_1,address_line_2,address_line_3,mailed_on,expires_on,page";

/// Renders the manifest for the mail vendor: the header
/// `letter_id,name,address_line_1,address_line_2,address_line_3,mailed_on,expires_on,page`,
/// then one row per letter, in the same order as [`render_pdf`] prints them, so `page`
/// is the letter's 1-based page number in that PDF. Dates are `YYYY-MM-DD`.
///
/// Quoting follows RFC 4180: a field containing a comma, double quote, CR or LF is
/// quoted, with inner quotes doubled; every line ends in `\r\n`. Fields are written
/// verbatim otherwise (no `?` replacement, unlike the PDF).
///
/// The manifest never contains the activation code. An address with more than three
/// lines has its third and later lines joined with ", " in `address_line_3`, so no line
/// is dropped. An empty batch gives just the header line.
pub fn render_csv(letters: &[PrintableLetter]) -> String {
    let mut out = String::with_capacity(CSV_HEADER.len() + 2 + letters.len() * 128);
    out.push_str(CSV_HEADER);
    out.push_str("\r\n");

    for (index, letter) in letters.iter().enumerate() {
        let address = |i: usize| letter.address_lines.get(i).map_or("", String::as_str);
        let third = letter
            .address_lines
            .get(2..)
            .map(|rest| rest.join(", "))
            .unwrap_or_default();
        let page = index + 1;
        let fields = [
            letter.letter_id.as_str(),
            letter.name.as_str(),
            address(0),
            address(1),
            third.as_str(),
            &iso_date(letter.mailed_on),
            &iso_date(letter.expires_on),
            &page.to_string(),
        ];
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_csv_field(&mut out, field);
        }
        out.push_str("\r\n");
    }
    out
}

fn push_csv_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// "2026-03-07".
fn iso_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
