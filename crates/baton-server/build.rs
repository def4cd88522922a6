include!("../../build/test_services.rs");

fn main() {
    announce_test_services(&[
        ("BATON_TEST_DATABASE_URL", "test_postgres"),
        ("BATON_TEST_CHROMEDRIVER", "test_browser"),
        ("BATON_TEST_OPENAI_URL", "test_openai"),
        ("BATON_TEST_EMBEDDINGS_URL", "test_embeddings"),
        ("BATON_TEST_EVAL_DIR", "test_eval_data"),
        ("BATON_TEST_SMTP_URL", "test_smtp"),
        ("BATON_TEST_IMAP_URL", "test_imap"),
        ("BATON_TEST_NATS_URL", "test_nats"),
    ]);
}
