#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gazette::fuzzing::article(data, false));
