//! Checks of the attendance logs and the practicum log over the parsed rows.
