include!("../../build/test_services.rs");

fn main() {
    announce_test_services(&[("BATON_TEST_DATABASE_URL", "test_postgres")]);
}
