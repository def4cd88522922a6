include!("../../build/test_services.rs");

fn main() {
    announce_test_services(&[
        ("BATON_TEST_OPENAI_URL", "test_openai"),
        ("BATON_TEST_EMBEDDINGS_URL", "test_embeddings"),
    ]);
}
