//! Unit tests of `render` (kept beside it so the module reads as product code).

use super::*;
use time::macros::date;

const SERVICE: &str = "Secure Access";
const URL: &str = "https://secure-access.example.gov/activate";

fn letter(id: &str, name: &str, code: &str) -> PrintableLetter {
    PrintableLetter {
        letter_id: id.to_owned(),
        name: name.to_owned(),
        address_lines: vec![
            "1234 SYNTHETIC AVE".to_owned(),
            "SPRINGFIELD IL 62704-0001".to_owned(),
        ],
        code: code.to_owned(),
        language: sa_i18n::Lang::En,
        expires_on: date!(2026 - 04 - 06),
        mailed_on: date!(2026 - 03 - 07),
    }
}

fn batch() -> Vec<PrintableLetter> {
    vec![
        letter("L-0001", "ROBERTA Q SYNTHETIC", "7KQ2-M9XD-4TRW"),
        letter("L-0002", "ALBERT B EXAMPLE", "P3VN-8HJC-2LMA"),
        letter("L-0003", "CAROL C SAMPLE", "X5RT-Q7WE-9ZKD"),
    ]
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Occurrences of `/Type /Page` not followed by `s` (which would be the page tree).
fn page_objects(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len())
        .enumerate()
        .filter(|(i, w)| *w == needle && pdf.get(i + needle.len()) != Some(&b's'))
        .count()
}

/// One line of text as a reader would see it: font resource, size, position, and
/// the string decoded from PDF literal-string syntax (nested parentheses and
/// backslash escapes).
struct Run {
    font: String,
    size: f32,
    x: f32,
    y: f32,
    text: String,
}

/// Every `BT /F size Tf x y Td (text) Tj ET` in the content streams.
fn runs(pdf: &[u8]) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut i = 0;
    while let Some(start) = find_from(pdf, b"stream\n", i) {
        let body_start = start + b"stream\n".len();
        let Some(end) = find_from(pdf, b"endstream", body_start) else {
            break;
        };
        let body = &pdf[body_start..end];
        let mut j = 0;
        while j < body.len() {
            let hex = body[j] == b'<' && body.get(j + 1).is_some_and(u8::is_ascii_hexdigit);
            if body[j] == b'(' || hex {
                // pdf-writer writes a string with bytes outside ASCII in hex.
                let (text, after) = if body[j] == b'(' {
                    literal_string(body, j)
                } else {
                    hex_string(body, j)
                };
                let rest = String::from_utf8_lossy(&body[after..]);
                assert!(
                    rest.trim_start().starts_with("Tj"),
                    "string not followed by Tj: {text:?}"
                );
                let bt = body[..j]
                    .windows(2)
                    .rposition(|w| w == b"BT")
                    .expect("BT before text");
                let ops = String::from_utf8_lossy(&body[bt + 2..j]).into_owned();
                let ops: Vec<&str> = ops.split_whitespace().collect();
                assert_eq!((ops.len(), ops[2], ops[5]), (6, "Tf", "Td"), "{ops:?}");
                let number = |k: usize| ops[k].parse::<f32>().expect("number");
                runs.push(Run {
                    font: ops[0].to_owned(),
                    size: number(1),
                    x: number(3),
                    y: number(4),
                    text,
                });
                j = after;
            } else {
                j += 1;
            }
        }
        i = end + b"endstream".len();
    }
    runs
}

fn shown_strings(pdf: &[u8]) -> Vec<String> {
    runs(pdf).into_iter().map(|r| r.text).collect()
}

fn find_from(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Decodes the hex string `<...>` opening at `body[open]` (WinAnsiEncoding, Latin-1
/// for the bytes the letters use); returns it and the index just past its `>`.
fn hex_string(body: &[u8], open: usize) -> (String, usize) {
    let close = open
        + body[open..]
            .iter()
            .position(|&b| b == b'>')
            .expect("closing >");
    let digits: Vec<u8> = body[open + 1..close]
        .iter()
        .copied()
        .filter(u8::is_ascii_hexdigit)
        .collect();
    let text = digits
        .chunks(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).expect("ascii");
            char::from(u8::from_str_radix(&format!("{pair:0<2}"), 16).expect("hex"))
        })
        .collect();
    (text, close + 1)
}

/// Decodes the literal string opening at `body[open]`; returns it and the index
/// just past its closing parenthesis.
fn literal_string(body: &[u8], open: usize) -> (String, usize) {
    let mut depth = 0;
    let mut out = Vec::new();
    let mut k = open;
    loop {
        let byte = body[k];
        match byte {
            b'\\' => {
                k += 1;
                out.push(match body[k] {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    other => other,
                });
            }
            b'(' => {
                if depth > 0 {
                    out.push(byte);
                }
                depth += 1;
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    // WinAnsiEncoding: Latin-1 for every byte the letters use.
                    return (out.iter().map(|&b| char::from(b)).collect(), k + 1);
                }
                out.push(byte);
            }
            _ => out.push(byte),
        }
        k += 1;
    }
}

/// Every object the cross-reference table lists starts exactly at its offset.
fn assert_xref_consistent(pdf: &[u8]) {
    // Same offsets as the bytes: the binary marker in the header is not ASCII.
    let text: String = pdf
        .iter()
        .map(|&b| if b.is_ascii() { char::from(b) } else { '?' })
        .collect();
    let startxref = text.rfind("startxref\n").expect("startxref");
    let offset: usize = text[startxref + 10..]
        .lines()
        .next()
        .expect("offset")
        .trim()
        .parse()
        .expect("number");
    assert!(
        text[offset..].starts_with("xref\n"),
        "startxref points at the xref table"
    );
    let mut rows = text[offset + 5..].lines();
    let header = rows.next().expect("subsection header");
    let count: usize = header
        .split_whitespace()
        .nth(1)
        .expect("count")
        .parse()
        .expect("number");
    for (number, row) in rows.take(count).enumerate() {
        if row.ends_with("f") || row.ends_with("f ") {
            continue;
        }
        let at: usize = row[..10].parse().expect("offset");
        let expected = format!("{number} 0 obj");
        assert!(
            text[at..].starts_with(&expected),
            "object {number} is at {at}"
        );
    }
}

#[test]
fn batch_prints_one_page_per_letter_with_each_code() {
    let letters = batch();
    let pdf = render_pdf(&letters, SERVICE, URL);

    assert!(pdf.starts_with(b"%PDF-1.7"));
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
    assert_eq!(page_objects(&pdf), letters.len());
    assert!(contains(&pdf, b"/Count 3"));
    for letter in &letters {
        assert!(
            contains(&pdf, letter.code.as_bytes()),
            "code {} printed",
            letter.code
        );
        assert!(contains(&pdf, letter.name.as_bytes()));
    }
    assert_xref_consistent(&pdf);
}

#[test]
fn pages_follow_the_order_of_the_batch() {
    let letters = batch();
    let shown = shown_strings(&render_pdf(&letters, SERVICE, URL));
    let positions: Vec<usize> = letters
        .iter()
        .map(|l| shown.iter().position(|s| s == &l.code).expect("code shown"))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn letter_reads_like_the_notice() {
    let shown = shown_strings(&render_pdf(&batch()[..1], SERVICE, URL)).join(" ");
    for expected in [
        "Secure Access",
        "Mailed March 7, 2026",
        "ROBERTA Q SYNTHETIC",
        "1234 SYNTHETIC AVE",
        "SPRINGFIELD IL 62704-0001",
        "You asked to verify your identity with Secure Access. To finish, sign in at",
        URL,
        "and enter this activation code:",
        "7KQ2-M9XD-4TRW",
        "This code expires on April 6, 2026. After that date, sign in and ask for a new",
        "If you did not ask for this letter, someone may be using your information:",
        "call the help desk and do not share this code.",
        "We will never ask for this code by phone or email.",
        "Letter reference: L-0001",
    ] {
        assert!(shown.contains(expected), "missing {expected:?} in {shown}");
    }
}

#[test]
fn address_block_sits_in_the_envelope_window() {
    let runs = runs(&render_pdf(&batch()[..1], SERVICE, URL));
    let window = (PAGE_HEIGHT - 3.1 * 72.0)..=(PAGE_HEIGHT - 2.0 * 72.0);
    for line in [
        "ROBERTA Q SYNTHETIC",
        "1234 SYNTHETIC AVE",
        "SPRINGFIELD IL 62704-0001",
    ] {
        let run = runs
            .iter()
            .find(|r| r.text == line)
            .expect("address line printed");
        assert!(
            window.contains(&run.y) && run.x < 90.0,
            "{line} at {},{}",
            run.x,
            run.y
        );
    }
    // Everything else on the page is outside the window.
    let others = runs
        .iter()
        .filter(|r| !r.text.contains("SYNTHETIC") && !r.text.contains("SPRINGFIELD"));
    assert!(others.into_iter().all(|r| !window.contains(&r.y)));
}

#[test]
fn code_is_printed_in_large_courier() {
    let pdf = render_pdf(&batch()[..1], SERVICE, URL);
    assert!(contains(&pdf, b"/BaseFont /Courier"));
    assert!(contains(&pdf, b"/Encoding /WinAnsiEncoding"));
    assert!(contains(&pdf, b"/F3 24 Tf"));
    assert!(contains(&pdf, b"(7KQ2-M9XD-4TRW) Tj"));
}

#[test]
fn content_streams_are_not_compressed() {
    let pdf = render_pdf(&batch(), SERVICE, URL);
    assert!(!contains(&pdf, b"/Filter"));
}

#[test]
fn parentheses_and_backslashes_in_a_name_cannot_break_the_page() {
    let mut letters = batch();
    letters[1].name = r"ALBERT (BERT)) \ EXAMPLE ( \) Tj ET".to_owned();
    letters[1].address_lines[0] = r"APT (4\".to_owned();
    let pdf = render_pdf(&letters, SERVICE, URL);

    assert_eq!(page_objects(&pdf), 3);
    assert_xref_consistent(&pdf);
    let shown = shown_strings(&pdf);
    assert!(
        shown
            .iter()
            .any(|s| s == r"ALBERT (BERT)) \ EXAMPLE ( \) Tj ET"),
        "{shown:?}"
    );
    assert!(shown.iter().any(|s| s == r"APT (4\"));
    for letter in &letters {
        assert!(shown.contains(&letter.code));
    }
}

#[test]
fn accented_letters_print_and_characters_the_fonts_lack_become_question_marks() {
    let mut letters = batch();
    letters[0].name = "JOSÉ\tNUÑEZ\u{0} Ø".to_owned();
    let pdf = render_pdf(&letters, "Servicio ✓", URL);
    let shown = shown_strings(&pdf);
    assert!(shown.iter().any(|s| s == "JOSÉ?NUÑEZ? ?"), "{shown:?}");
    assert!(shown.iter().any(|s| s == "Servicio ?"));
    // Written as WinAnsiEncoding bytes (É is 0xC9), one byte a character, in hex.
    assert!(pdf.windows(10).any(|w| w == b"4A4F53C93F"));
}

#[test]
fn a_spanish_letter_is_written_in_spanish_with_its_accents() {
    let mut letters = batch();
    letters[0].language = sa_i18n::Lang::Es;
    let shown = shown_strings(&render_pdf(&letters[..1], "Secure Access", URL)).join(" ");
    for words in [
        "Enviada por correo el 7 de marzo de 2026",
        "escriba este código de activación:",
        "Este código vence el 6 de abril de 2026.",
        "Nunca le pediremos este código por teléfono ni por correo electrónico.",
        "Referencia de la carta:",
    ] {
        assert!(shown.contains(words), "{words:?} not in {shown}");
    }
    assert!(!shown.contains("activation code"));
}

#[test]
fn long_paragraphs_wrap_within_the_margins() {
    let long_url = format!(
        "https://{}.example.gov/activate",
        "very-long-subdomain".repeat(8)
    );
    let long_service =
        "The Department of Synthetic Examples Identity Verification Service".repeat(2);
    let pdf = render_pdf(&batch()[..1], &long_service, &long_url);
    let runs = runs(&pdf);
    for run in &runs {
        let font = match run.font.as_str() {
            "/F1" => Font::Regular,
            "/F2" => Font::Bold,
            _ => Font::Mono,
        };
        let right = run.x + font.width(&run.text, run.size);
        assert!(
            run.x >= MARGIN_X && right <= PAGE_WIDTH - MARGIN_X + 0.01,
            "{:?} overflows",
            run.text
        );
    }
    let shown: Vec<String> = runs.into_iter().map(|r| r.text).collect();
    assert!(shown.len() > 12, "long text was wrapped onto more lines");
    // Reassembled, no character of the URL is lost.
    assert!(shown.concat().contains(&long_url));
    assert!(shown.iter().any(|s| s == "7KQ2-M9XD-4TRW"));
}

#[test]
fn wrap_breaks_on_words_and_splits_overlong_words() {
    assert_eq!(wrap("", Font::Regular, 12.0, 100.0), Vec::<String>::new());
    // Courier 10 pt: 6 pt a character, so 5 characters fit in 30 pt.
    assert_eq!(wrap("ab cd ef", Font::Mono, 10.0, 30.0), ["ab cd", "ef"]);
    assert_eq!(
        wrap("abcdefghijkl", Font::Mono, 10.0, 30.0),
        ["abcde", "fghij", "kl"]
    );
    assert_eq!(
        wrap("ab  cdefghij k", Font::Mono, 10.0, 30.0),
        ["ab", "cdefg", "hij k"]
    );
}

#[test]
fn empty_batch_is_one_page_saying_so() {
    let pdf = render_pdf(&[], SERVICE, URL);
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
    assert_eq!(page_objects(&pdf), 1);
    assert!(contains(&pdf, b"(No letters in this batch.) Tj"));
    assert_xref_consistent(&pdf);
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(
        render_pdf(&batch(), SERVICE, URL),
        render_pdf(&batch(), SERVICE, URL)
    );
}

#[test]
fn manifest_lists_each_letter_with_its_page() {
    let csv = render_csv(&batch());
    let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert!(csv.ends_with("\r\n"));
    assert!(!csv.replace("\r\n", "").contains(['\r', '\n']));
    assert_eq!(
        lines[0],
        "letter_id,name,address_line_1,address_line_2,address_line_3,mailed_on,expires_on,page"
    );
    assert_eq!(
        lines[1],
        "L-0001,ROBERTA Q SYNTHETIC,1234 SYNTHETIC AVE,SPRINGFIELD IL 62704-0001,,2026-03-07,2026-04-06,1"
    );
    assert!(lines[2].starts_with("L-0002,") && lines[2].ends_with(",2"));
    assert!(lines[3].starts_with("L-0003,") && lines[3].ends_with(",3"));
    assert_eq!(lines.len(), 4);
}

#[test]
fn manifest_never_contains_the_activation_code() {
    let letters = batch();
    let csv = render_csv(&letters);
    for letter in &letters {
        assert!(!csv.contains(&letter.code));
        assert!(!csv.contains(&letter.code.replace('-', "")));
    }
}

#[test]
fn manifest_quotes_commas_quotes_and_line_breaks() {
    let mut letters = batch();
    letters[0].name = r#"SYNTHETIC, ROBERTA "BOBBIE""#.to_owned();
    letters[0].address_lines = vec![
        "1234 SYNTHETIC AVE".to_owned(),
        "UNIT 5\r\nREAR".to_owned(),
        "SPRINGFIELD IL 62704".to_owned(),
    ];
    let csv = render_csv(&letters[..1]);
    assert_eq!(
        csv,
        "letter_id,name,address_line_1,address_line_2,address_line_3,mailed_on,expires_on,page\r\n\
         L-0001,\"SYNTHETIC, ROBERTA \"\"BOBBIE\"\"\",1234 SYNTHETIC AVE,\"UNIT 5\r\nREAR\",\
         SPRINGFIELD IL 62704,2026-03-07,2026-04-06,1\r\n"
    );
}

#[test]
fn manifest_keeps_every_address_line() {
    let mut letters = batch();
    letters[0].address_lines = [
        "BLDG 7",
        "1234 SYNTHETIC AVE",
        "UNIT 5",
        "SPRINGFIELD IL 62704",
    ]
    .map(String::from)
    .to_vec();
    let csv = render_csv(&letters[..1]);
    assert!(
        csv.contains(",BLDG 7,1234 SYNTHETIC AVE,\"UNIT 5, SPRINGFIELD IL 62704\",2026-03-07,"),
        "{csv}"
    );
}

#[test]
fn empty_manifest_is_just_the_header() {
    assert_eq!(
        render_csv(&[]),
        "letter_id,name,address_line_1,address_line_2,address_line_3,mailed_on,expires_on,page\r\n"
    );
}

#[test]
fn debug_shows_only_the_letter_id() {
    let shown = format!("{:?}", batch()[0]);
    assert!(shown.contains("L-0001"));
    assert!(!shown.contains("ROBERTA"));
    assert!(!shown.contains("7KQ2"));
    assert!(!shown.contains("SPRINGFIELD"));
}
