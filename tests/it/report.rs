//! `cohort report`: columns, formats, outcomes of the example cohort.

use crate::support::DataRoot;

#[test]
fn csv_report_has_the_contract_columns() {
    let run = DataRoot::example().run(&["report", "2024-fall", "--format", "csv"]);
    run.success();
    assert_eq!(
        run.stdout.lines().next().unwrap(),
        "cohort,participant,name,attended,required,missed,upcoming,practicum_hours,outcome,reasons"
    );
}
