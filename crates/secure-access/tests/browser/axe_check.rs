//! The checker checks: a page with known faults (no language, an image without
//! alternative text, a field without a label) makes axe-core report them, with
//! JavaScript on and off, so a clean run of the journeys means something.

use crate::driver::*;

const FAULTY_PAGE: &str = "data:text/html,<!DOCTYPE html><html><head><title>Faulty</title></head>\
<body><main><h1>Faulty</h1><img src='missing.png'><form><input type='text' name='x'></form></main></body></html>";

async fn axe_reports_known_faults(js: Js) {
    let Some(tools) = tools() else { return };
    let mut b = Browser::start(&tools, "http://127.0.0.1", "axe-self-check", js).await;
    b.goto(FAULTY_PAGE).await;
    b.page("faulty").await;
    let problems = b.take_problems().join("\n");
    for rule in ["html-has-lang", "image-alt", "label"] {
        assert!(
            problems.contains(&format!(" {rule}: ")),
            "axe-core did not report {rule}:\n{problems}"
        );
    }
    b.finish().await;
}

crate::with_and_without_javascript!(axe_reports_known_faults);
