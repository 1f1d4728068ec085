//! The law as it stands in December 2026 (rules.md sections 5, 7, 8 and
//! Interest; contract section 7; issue 23): Phase 3 for CIT plaintiffs, the
//! court deadline, the interest settings.

mod common;
use cape_check::Outcome;
use common::*;

const E: &str = "XQ710042173";

/// Entry E, deposited (summary date) 03/10/2025, liquidated 06/01/2026:
/// outside the 80-day window from 08/21/2026 on.
fn liquidated_long_ago() -> Vec<Row> {
    with(|r| {
        r.entry_date = "03/03/2025";
        r.summary_date = "03/10/2025";
        r.liquidation_status = "Liquidated";
        r.liquidation_date = "06/01/2026";
    })
}

fn run(rows: &[Row], as_of: &str, cit_plaintiff: bool) -> Outcome {
    let mut s = settings_as_of(as_of);
    s.cit_plaintiff = cit_plaintiff;
    audit_bytes(&es003(rows), s)
}

fn finding<'o>(out: &'o Outcome, code: &str) -> &'o cape_check::finding::Finding {
    out.report.entries[0]
        .findings
        .iter()
        .find(|f| f.code.as_str() == code)
        .unwrap_or_else(|| panic!("no {code}: {:?}", codes(out, E)))
}

#[test]
fn phase_3_puts_an_entry_outside_the_window_to_review_only_for_a_cit_plaintiff() {
    // Not a plaintiff (the default): blocked, as before, the message notes
    // Phase 3.
    let out = run(&liquidated_long_ago(), "2026-11-22", false);
    assert_eq!(verdict(&out, E), "blocked");
    let f = finding(&out, "liquidated-outside-window");
    assert!(
        f.message.contains("Phase 3 may refund such entries"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("say so in the settings"),
        "{}",
        f.message
    );

    // A plaintiff, filing from 10/06/2026: review, never written by default,
    // with what is and is not known.
    let out = run(&liquidated_long_ago(), "2026-11-22", true);
    assert_eq!(verdict(&out, E), "review");
    let f = finding(&out, "liquidated-outside-window");
    assert_eq!(f.severity, cape_check::finding::Severity::Warning);
    for words in [
        "You said the importer is a plaintiff",
        "filed via CAPE",
        "secondary sources",
        "not verified",
        "pending appeal (CAFC 26-1895)",
        "Confirm with counsel or CBP before including it",
    ] {
        assert!(f.message.contains(words), "{words}: {}", f.message);
    }
    assert!(out.declarations.is_empty(), "never written by default");

    // Before Phase 3 began, the setting changes nothing.
    let out = run(&liquidated_long_ago(), "2026-10-05", true);
    assert_eq!(verdict(&out, E), "blocked");
    assert!(!finding(&out, "liquidated-outside-window")
        .message
        .contains("Phase 3"));
}

#[test]
fn an_entry_only_a_court_can_refund_gets_its_court_deadline_and_the_protest_is_protective() {
    let out = run(&liquidated_long_ago(), "2026-11-22", false);
    let f = finding(&out, "liquidated-outside-window");
    // Deposit (entry summary date) 03/10/2025 + 2 years.
    assert!(
        f.message
            .contains("may be time-barred two years after the duty was deposited (for this entry from 03/10/2027"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains(
            "A protest (CBP Form 19) is possible until 11/28/2026, but it only preserves rights"
        ),
        "{}",
        f.message
    );
    let v = serde_json::to_value(&out.report).unwrap();
    assert_eq!(v["entries"][0]["court_deadline"], "2027-03-10");
    // 108 days before it: not near yet.
    assert!(!codes(&out, E).contains(&"court-deadline-near"));
    assert_eq!(v["court_deadline_near"]["entries"], 0);

    // An entry in the window has no court deadline.
    let out = run(&clean(), "2026-11-22", false);
    let v = serde_json::to_value(&out.report).unwrap();
    assert!(v["entries"][0].get("court_deadline").is_none());
}

#[test]
fn a_court_deadline_60_days_away_or_fewer_is_said_first() {
    // Filing 01/15/2027: the deadline 03/10/2027 is 54 days away.
    let out = run(&liquidated_long_ago(), "2027-01-15", false);
    let f = finding(&out, "court-deadline-near");
    assert_eq!(f.severity, cape_check::finding::Severity::Warning);
    assert!(
        f.message
            .contains("may be time-barred from 03/10/2027, 54 days after the filing date"),
        "{}",
        f.message
    );
    let v = serde_json::to_value(&out.report).unwrap();
    assert_eq!(v["court_deadline_near"]["entries"], 1);
    assert_eq!(v["court_deadline_near"]["earliest"], "2027-03-10");
    // The text summary says it before anything else.
    let text = out.report.text_summary();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[2],
        "1 entry: a court action may be time-barred from 03/10/2027: ask counsel now."
    );
    // Day 60 is near; day 61 is not.
    let out = run(&liquidated_long_ago(), "2027-01-09", false);
    assert!(codes(&out, E).contains(&"court-deadline-near"));
    let out = run(&liquidated_long_ago(), "2027-01-08", false);
    assert!(!codes(&out, E).contains(&"court-deadline-near"));
    assert!(!out.report.text_summary().contains("time-barred from"));
    // Passed: said as passed.
    let out = run(&liquidated_long_ago(), "2027-04-01", false);
    assert!(finding(&out, "court-deadline-near")
        .message
        .contains("time-barred since 03/10/2027"));
}

#[test]
fn the_non_corporate_setting_takes_the_other_column_of_the_rates() {
    let mut s = settings();
    let corporate = audit_bytes(&es003(&clean()), s.clone());
    s.non_corporate = true;
    let non_corporate = audit_bytes(&es003(&clean()), s);
    let (a, b) = (
        corporate.report.entries[0].interest_estimate,
        non_corporate.report.entries[0].interest_estimate,
    );
    assert!(b.0 > a.0, "{a:?} {b:?}");
    let v = serde_json::to_value(&non_corporate.report).unwrap();
    assert_eq!(v["interest"]["rate_column"], "non-corporate");
    assert!(non_corporate
        .report
        .text_summary()
        .contains("at the non-corporate rate"));
}

/// The entry's export and a Claim Details download that failed it with
/// `message`, audited on `as_of`.
fn rejected(rows: &[Row], message: &str, as_of: &str) -> Outcome {
    let claims = format!(
        "ENTRY_NUMBER,CLAIM_NUMBER,STATUS,ERROR_DESCRIPTION\r\n=\"{E}\",=\"100000000001\",Failed,{message}\r\n"
    );
    audit_files(
        &[
            ("es003.csv", &es003(rows)),
            ("claims.csv", claims.as_bytes()),
        ],
        settings_as_of(as_of),
        0,
    )
}

#[test]
fn a_post_summary_correction_is_advised_only_inside_its_window() {
    // Entry date 01/20/2026, unliquidated: a correction until 11/16/2026
    // (entry date + 300 days).
    let out = rejected(&clean(), "INVALID HTS", "2026-06-25");
    let text = &finding(&out, "previously-rejected").message;
    assert!(
        text.contains("Correct the entry by post-summary correction (header reason H99), then file it on a new declaration: a correction is possible only within 300 days of the entry date and at least 15 days before scheduled liquidation (for this entry until 11/16/2026)."),
        "{text}"
    );
    // 306 days after the entry date: none possible now, and where to ask.
    let out = rejected(&clean(), "HTS RELATIONSHIP MISMATCH", "2026-11-22");
    let text = &finding(&out, "previously-rejected").message;
    assert!(
        text.contains("No post-summary correction is possible now (more than 300 days have passed since the entry date 01/20/2026): wait for a later CAPE deployment, or ask CBP at IEEPARefunds@cbp.dhs.gov"),
        "{text}"
    );
    // Liquidation scheduled 11 days after the filing date: too late.
    let scheduled = with(|r| {
        r.liquidation_status = "Pending";
        r.liquidation_date = "07/06/2026";
    });
    let out = rejected(&scheduled, "INVALID HTS", "2026-06-25");
    assert!(finding(&out, "previously-rejected")
        .message
        .contains("its liquidation, scheduled for 07/06/2026, is less than 15 days away"));
    // 15 days before: still possible, until the 15th day before it.
    let out = rejected(&scheduled, "INVALID HTS", "2026-06-21");
    assert!(finding(&out, "previously-rejected")
        .message
        .contains("(for this entry until 06/21/2026)"));
    // Liquidated: none.
    let out = rejected(&liquidated_long_ago(), "INVALID HTS", "2026-06-25");
    assert!(finding(&out, "previously-rejected").message.contains(
        "No post-summary correction is possible now (the entry liquidated on 06/01/2026)"
    ));
}

#[test]
fn statement_processing_not_complete_waits_for_the_statement_to_read_paid() {
    let out = rejected(&clean(), "STATEMENT PROCESSING NOT COMPLETE", "2026-06-25");
    let f = finding(&out, "previously-rejected");
    assert!(
        f.message
            .contains("once the periodic statement's collection status reads PAID"),
        "{}",
        f.message
    );
}

#[test]
fn an_adcvd_column_puts_an_unliquidated_entry_under_a_case_to_review() {
    let header = "Entry Summary Number,Entry Type Code,Entry Summary Line Number,Importer Number,Entry Date,Entry Summary Date,Tariff Ordinal Number,HTS Number - Full,Line Tariff Goods Value Amount,Line Tariff Duty Amount,Liquidation Status,Liquidation Date,AD/CVD Case Number";
    let export = |case: &str, status: &str, date: &str| {
        format!(
            "{header}\r\nXQ710042173,01,1,98-765432100,01/20/2026,01/30/2026,1,99030269,$0.00,$2000.00,{status},{date},{case}\r\nXQ710042173,01,1,98-765432100,01/20/2026,01/30/2026,2,6307909870,$10000.00,$700.00,{status},{date},{case}\r\n"
        )
        .into_bytes()
    };
    let out = audit_bytes(&export("A-570-979", "Unliquidated", ""), settings());
    assert_eq!(verdict(&out, E), "review");
    let f = finding(&out, "adcvd-pending-liquidation");
    assert!(
        f.message.contains("AD/CVD case (row 2: 'A-570-979')")
            && f.message.contains("19 U.S.C. 1504(d)"),
        "{}",
        f.message
    );
    // No case, or liquidated (inside the window): no finding.
    for (case, status, date) in [
        ("", "Unliquidated", ""),
        ("N", "Unliquidated", ""),
        ("A-570-979", "Liquidated", "11/10/2026"),
    ] {
        let out = audit_bytes(&export(case, status, date), settings());
        assert!(
            !codes(&out, E).contains(&"adcvd-pending-liquidation"),
            "{case} {status}"
        );
    }
}

#[test]
fn day_80_is_inside_with_the_urgent_warning_and_day_81_is_outside() {
    // Liquidated 06/01/2026: day 80 is 08/20/2026.
    let rows = with(|r| {
        r.liquidation_status = "Liquidated";
        r.liquidation_date = "06/01/2026";
    });
    let out = run(&rows, "2026-08-20", false);
    assert_eq!(verdict(&out, E), "ready");
    assert!(finding(&out, "window-closing")
        .message
        .contains("ends on 08/20/2026 (the filing date itself is its last day)"));
    let out = run(&rows, "2026-08-21", false);
    assert!(codes(&out, E).contains(&"liquidated-outside-window"));
}

#[test]
fn the_reconciliation_message_asks_to_file_a_reconciliation_due_within_30_days_first() {
    let out = run(&with(|r| r.recon = "Y"), "2026-11-22", false);
    assert!(finding(&out, "reconciliation-flagged")
        .message
        .contains("If the reconciliation is due within 30 days, CBP asks you to file the reconciliation first"));
}

#[test]
fn chapter_99_lines_of_other_programs_are_named() {
    for (hts, name) in [
        ("9903.05.01", "9903.05.01 (Section 301, Brazil)"),
        ("99030540", "9903.05.40 (Section 301, forced labor)"),
        ("9903.04.65", "9903.04.65 (Section 232, pharmaceuticals)"),
        ("9903.88.15", "9903.88.15 (Section 301)"),
    ] {
        let out = run(&with(|r| r.hts = hts), "2026-11-22", false);
        let f = finding(&out, "no-ieepa-line");
        assert!(f.message.contains(name), "{hts}: {}", f.message);
    }
}

#[test]
fn the_rule_book_lists_every_new_rule_with_its_source_and_the_edition_is_the_newest_rule() {
    let rules = cape_check::rules::RuleSet::default();
    let book = rules.book();
    let newest = book
        .iter()
        .filter_map(|r| r.from.clone())
        .filter(|from| from.as_str() < "2027-01-01")
        .max()
        .unwrap();
    assert_eq!(rules.edition.iso(), newest);
    for (words, confidence) in [
        ("Phase 3", "secondary"),
        (
            "only an action at the Court of International Trade",
            "secondary",
        ),
        (
            "A post-summary correction is possible only within 300 days",
            "secondary",
        ),
        ("AD/CVD entry summary pending liquidation", "CBP"),
        ("IEEPA duty paid by a surety", "secondary"),
        ("9903.05.01 Section 301 (Brazil)", "secondary"),
        (
            "Interest rate 5% a year for corporations, 6% for others",
            "secondary",
        ),
        (
            "Interest rate 6% a year for corporations, 7% for others",
            "single source",
        ),
        ("protest (CBP Form 19) only preserves rights", "secondary"),
    ] {
        // The last that matches (the newest rate of that figure).
        let rule = book
            .iter()
            .rev()
            .find(|r| r.rule.contains(words))
            .unwrap_or_else(|| panic!("no rule: {words}"));
        assert!(!rule.source.is_empty(), "{words}");
        assert_eq!(
            serde_json::to_value(rule.confidence).unwrap(),
            confidence,
            "{words}"
        );
    }
}
