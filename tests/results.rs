//! A finished audit browsed as the page does: the overview, pages of
//! entries under filters, entries to review included one by one or all at
//! once, and the declarations that follow.

mod common;
use cape_check::finding::{Code, Verdict};
use cape_check::output::results::{CodeGroup, EntryQuery, Overview, Results};
use cape_check::Audit;
use common::*;

fn results_of(name: &str, settings: cape_check::Settings) -> Results {
    let mut audit = Audit::new(settings);
    audit.begin_file(name);
    audit.feed(&sample(name));
    audit.end_file();
    audit.into_results()
}

fn listed(results: &Results, query: &EntryQuery) -> Vec<String> {
    let page = results.entries(query);
    page.entries
        .iter()
        .map(|e| e.entry.entry.to_string())
        .collect()
}

fn group<'a>(overview: &'a Overview<'a>, code: Code) -> &'a CodeGroup<'a> {
    overview.codes.iter().find(|g| g.code == code).unwrap()
}

const STANDARD: &str = "es003_importer_standard.csv";
const BROKER: &str = "es003_broker_excel_resaved.csv";
const PREAMBLE: &str = "es003_default_no_liquidation_with_preamble.csv";

#[test]
fn overview_groups_findings_by_code_worst_first() {
    let results = results_of(STANDARD, settings());
    let overview = results.overview();
    assert_eq!(overview.totals.entries, 10);
    assert_eq!(
        (
            overview.totals.ready,
            overview.totals.review,
            overview.totals.blocked
        ),
        (3, 1, 6)
    );
    assert_eq!(overview.declarations.len(), 1);
    assert_eq!(overview.declarations[0].entries, 3);
    let codes: Vec<&str> = overview.codes.iter().map(|g| g.code.as_str()).collect();
    for code in [
        "liquidated-outside-window",
        "no-ieepa-line",
        "section-122-only",
        "entry-type-excluded",
        "ieepa-duty-zero",
        "reconciliation-flagged",
        "importer-mismatch",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    // Errors before warnings before infos.
    let ranks: Vec<_> = overview.codes.iter().map(|g| g.severity).collect();
    assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "{ranks:?}");
    let outside = group(&overview, Code::LiquidatedOutsideWindow);
    assert_eq!((outside.entries, outside.in_files), (1, 0));
    assert_eq!(outside.examples[0].entry, Some("XQ710030186"));
    assert!(
        outside.examples[0].message.contains("02/17/2027"),
        "{}",
        outside.examples[0].message
    );
}

#[test]
fn file_findings_are_counted_apart_from_entries() {
    let results = results_of(PREAMBLE, settings());
    let overview = results.overview();
    let title = group(&overview, Code::TitleRowsSkipped);
    assert_eq!((title.entries, title.in_files), (0, 1));
    assert_eq!(title.examples[0].entry, None);
    let unknown = group(&overview, Code::LiquidationUnknown);
    assert_eq!((unknown.entries, unknown.in_files), (2, 0));
}

#[test]
fn entries_filtered_by_verdict_code_and_search_then_paged() {
    let results = results_of(STANDARD, settings());
    let all = EntryQuery::default();
    assert_eq!(results.entries(&all).matching, 10);
    assert_eq!(listed(&results, &all)[0], "XQ710042173");

    let blocked = EntryQuery {
        verdict: Some(Verdict::Blocked),
        ..EntryQuery::default()
    };
    let page = results.entries(&blocked);
    assert_eq!(page.matching, 6);
    assert!(page.entries.iter().all(|e| !e.in_declaration));
    assert!(page
        .entries
        .iter()
        .all(|e| e.entry.verdict == Verdict::Blocked));

    let by_code = EntryQuery {
        code: Some(Code::Section122Only),
        ..EntryQuery::default()
    };
    assert_eq!(listed(&results, &by_code), ["XQ710044609"]);

    // Dashes and lower case typed by the user still find the entry.
    let search = EntryQuery {
        search: "xq7-1004460".into(),
        ..EntryQuery::default()
    };
    assert_eq!(listed(&results, &search), ["XQ710044609"]);

    // Pages: offset and limit, with the total matching on every page.
    let second = EntryQuery {
        offset: 4,
        limit: 4,
        ..EntryQuery::default()
    };
    let page = results.entries(&second);
    assert_eq!((page.matching, page.offset, page.entries.len()), (10, 4, 4));
    assert_eq!(
        listed(&results, &second),
        listed(&results, &all)[4..8].to_vec()
    );
    let past_the_end = EntryQuery {
        offset: 40,
        limit: 4,
        ..EntryQuery::default()
    };
    assert!(results.entries(&past_the_end).entries.is_empty());
}

#[test]
fn an_unusable_entry_number_is_found_as_written() {
    let results = results_of(BROKER, settings());
    let search = EntryQuery {
        search: "1644101502".into(),
        ..EntryQuery::default()
    };
    assert_eq!(listed(&results, &search), ["1644101502"]);
}

#[test]
fn including_entries_to_review_rebuilds_the_declaration() {
    let mut results = results_of(STANDARD, settings());
    let ready_only = b"Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\n";
    assert_eq!(results.declarations()[0].bytes, ready_only);
    assert_eq!(results.include(Some(&["XQ710046018".into()]), true), Ok(1));
    assert_eq!(
        results.declarations()[0].bytes,
        b"Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\nXQ710046018\r\n"
    );
    let review = EntryQuery {
        verdict: Some(Verdict::Review),
        ..EntryQuery::default()
    };
    assert!(results.entries(&review).entries[0].in_declaration);
    assert_eq!(results.overview().included, 1);
    assert_eq!(results.include(None, false), Ok(0));
    assert_eq!(results.declarations()[0].bytes, ready_only);

    // Only entries to review can be included: a blocked or unknown one is
    // refused by name, and nothing changes.
    for wrong in ["XQ710044773", "XQ700000000"] {
        let refused = results.include(Some(&["XQ710046018".into(), wrong.into()]), true);
        assert!(refused.unwrap_err().to_string().contains(wrong));
        assert_eq!(results.overview().included, 0);
    }
}

#[test]
fn entries_to_review_all_at_once_when_none_is_ready() {
    let mut results = results_of(PREAMBLE, settings());
    assert!(results.declarations().is_empty());
    assert_eq!(results.include(None, true), Ok(2));
    let files = results.declarations();
    assert_eq!(files.len(), 1);
    assert_eq!(
        files[0].bytes.iter().filter(|&&b| b == b'\n').count(),
        3,
        "header and both entries"
    );
    // Included by the setting: listed as in the declaration ...
    let mut with_review = settings();
    with_review.include_review = true;
    let mut results = results_of(PREAMBLE, with_review);
    assert_eq!(results.declarations(), files);
    let page = results.entries(&EntryQuery::default());
    assert!(page.entries.iter().all(|e| e.in_declaration));
    assert_eq!(results.overview().included, 2);
    // ... and can still be taken out, one or all.
    let first = page.entries[0].entry.entry.to_string();
    assert_eq!(results.include(Some(&[first]), false), Ok(1));
    assert_eq!(
        results.declarations()[0]
            .bytes
            .iter()
            .filter(|&&b| b == b'\n')
            .count(),
        2
    );
    assert_eq!(results.include(None, false), Ok(0));
    assert!(
        results.declarations().is_empty(),
        "no entry is in: no declaration"
    );
}

#[test]
fn one_declaration_per_importer_stays_so_when_entries_are_included() {
    let mut per_importer =
        cape_check::Settings::new(cape_check::values::date::Date::parse(AS_OF).unwrap());
    per_importer.per_importer = true;
    let other = "87-6543210AB";
    let bytes = es003(&[
        Row::default(),
        Row {
            entry: "XQ710043916",
            importer: other,
            ..Row::default()
        },
        Row {
            entry: "XQ710046018",
            importer: other,
            recon: "Y",
            ..Row::default()
        },
    ]);
    let mut audit = Audit::new(per_importer);
    audit.feed(&bytes);
    let mut results = audit.into_results();
    let names = |results: &Results| -> Vec<String> {
        results.declarations().into_iter().map(|f| f.name).collect()
    };
    let files = [
        "cape-declaration-98765432100.csv",
        "cape-declaration-876543210AB.csv",
    ];
    assert_eq!(names(&results), files);
    assert_eq!(results.include(Some(&["XQ710046018".into()]), true), Ok(1));
    assert_eq!(names(&results), files);
    assert_eq!(
        results.declarations()[1].bytes,
        b"Entry Number\r\nXQ710043916\r\nXQ710046018\r\n"
    );
    assert_eq!(
        results.declarations()[0].bytes,
        b"Entry Number\r\nXQ710042173\r\n"
    );
}
