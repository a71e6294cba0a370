//! `cohort check` on the shipped example and on broken files.

use crate::support::DataRoot;

#[test]
fn the_shipped_example_passes_check() {
    DataRoot::example()
        .run(&["check"])
        .success()
        .stderr_has("0 errors");
}
