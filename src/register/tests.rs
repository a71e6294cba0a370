//! The register's reading: every kind of row, good and bad.

use super::*;
use crate::certnum::tests::number;

fn parse_text(rows: &str) -> (Register, Diagnostics) {
    let mut diags = Diagnostics::default();
    let register = parse(&format!("{}\n{rows}", FIELDS.join(",")), &mut diags);
    (register, diags)
}

fn messages(diags: &Diagnostics) -> Vec<String> {
    diags
        .items
        .iter()
        .map(|d| format!("{}:{:?}: {}", d.line.unwrap_or(0), d.severity, d.message))
        .collect()
}

#[test]
fn reads_issued_and_revoked_rows() {
    let n = number("7K3M9X2Q");
    let (register, diags) = parse_text(&format!(
        "{n},2024-fall,p01,\"Brooks, Jr.\",Certified,2025-02-04,2025-03-01T10:00:00-05:00,issued,\n\
         {n},2024-fall,p01,\"Brooks, Jr.\",Certified,2025-02-04,2025-04-01T10:00:00-04:00,revoked,name misspelt\n"
    ));
    assert!(diags.items.is_empty(), "{:?}", messages(&diags));
    let cert = register.get(&n).unwrap();
    assert_eq!(
        (cert.name.as_str(), cert.level, cert.line),
        ("Brooks, Jr.", Level::Certified, 2)
    );
    let revoked = cert.revoked.as_ref().unwrap();
    assert_eq!(
        (revoked.line, revoked.reason.as_str(), revoked.date()),
        (3, "name misspelt", "2025-04-01")
    );
    assert_eq!(register.valid().count(), 0);
}

#[test]
fn every_kind_of_bad_row_is_located() {
    let n = number("7K3M9X2Q");
    let m = number("00000001");
    let mut typo = n.clone();
    typo.replace_range(5..6, "8");
    let (register, diags) = parse_text(&format!(
        "{typo},2024-fall,p01,A,Level 1,2024-11-07,2024-11-08,issued,\n\
         PSCE-7K3U-9X2Q-H,2024-fall,p01,A,Level 1,2024-11-07,2024-11-08,issued,\n\
         {n},2024-fall,p01,A,Incomplete,2024-11-07,2024-11-08,issued,\n\
         {n},2024-fall,p01,A,Level 1,7 Nov 2024,2024-11-08,issued,\n\
         {n},2024-fall,p01,A,Level 1,2024-11-07,2024-11-08,granted,\n\
         {m},2024-fall,p01,A,Level 1,2024-11-07,2024-11-08,revoked,why\n\
         {n},2024-fall,p01,A,Level 1,2024-11-07,2024-11-08,issued,\n\
         {n},2024-fall,p02,B,Level 1,2024-11-07,2024-11-08,issued,\n\
         {m},2024-fall,p01,A,Level 1,2024-11-07,2024-11-08,issued,\n\
         {n},2024-fall,p01,A,Level 1,2024-11-07,yesterday,revoked,x\n\
         {n},2024-fall,p01\n"
    ));
    let got = messages(&diags);
    let expect = [
        "2:Error: number",
        "3:Error: number \"PSCE-7K3U-9X2Q-H\" is not a certificate number: 'U'",
        "4:Error: level \"Incomplete\" is not a certificate level",
        "5:Error: date \"7 Nov 2024\" is not a date",
        "6:Error: status \"granted\" is not issued or revoked",
        "7:Error: revokes",
        "9:Error: number",
        "11:Error: issued_at \"yesterday\"",
        "12:Error: row has 3 cells but the header has 9",
    ];
    assert_eq!(got.len(), expect.len(), "{got:#?}");
    for (g, e) in got.iter().zip(expect) {
        assert!(g.starts_with(e), "{g} / {e}");
    }
    let g = &got[0];
    assert!(g.contains("check character that does not fit"), "{g}");
    assert!(got[6].contains("already issued on line 8"), "{}", got[6]);
    assert_eq!(register.certificates.len(), 2);
}

#[test]
fn header_problems_stop_the_read() {
    let mut diags = Diagnostics::default();
    parse("number,cohort,participant,name,date,status\n", &mut diags);
    assert_eq!(
        messages(&diags),
        ["1:Error: the header has no \"level\" column"]
    );
    let mut diags = Diagnostics::default();
    let text = format!("{},Number\n", FIELDS.join(","));
    parse(&text, &mut diags);
    let said = messages(&diags);
    assert!(said[0].contains("appears twice"), "{said:?}");
}

#[test]
fn lower_case_numbers_are_read_and_flagged() {
    let n = number("7K3M9X2Q");
    let (register, diags) = parse_text(&format!(
        "{},2024-fall,p01,A,1r,2024-11-07,2024-11-08,issued,\n",
        n.to_lowercase()
    ));
    assert_eq!(register.certificates[0].number, n);
    assert_eq!(register.certificates[0].level, Level::Level1R);
    let said = messages(&diags);
    assert!(said[0].starts_with("2:Warning: number"), "{said:?}");
}
