//! OpenAPI schemas for the types whose JSON form is not derived field by field.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{KnownFormat, RefOr, SchemaFormat};
use utoipa::{PartialSchema, ToSchema};

use crate::ids::Id;
use crate::time::Timestamp;
use crate::values::{Email, Rating};

fn schema(kind: Type, format: Option<KnownFormat>, description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(kind)
        .format(format.map(SchemaFormat::KnownFormat))
        .description(Some(description))
        .into()
}

impl<K> PartialSchema for Id<K> {
    fn schema() -> RefOr<Schema> {
        schema(Type::String, Some(KnownFormat::Uuid), "A UUIDv7 identifier.")
    }
}
impl<K> ToSchema for Id<K> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Id")
    }
}

impl PartialSchema for Timestamp {
    fn schema() -> RefOr<Schema> {
        schema(Type::Integer, Some(KnownFormat::Int64), "An instant in unix milliseconds.")
    }
}
impl ToSchema for Timestamp {}

impl PartialSchema for Email {
    fn schema() -> RefOr<Schema> {
        schema(Type::String, Some(KnownFormat::Email), "An email address.")
    }
}
impl ToSchema for Email {}

impl PartialSchema for Rating {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(5))
            .description(Some("A rating from 1 (bad) to 5 (great)."))
            .into()
    }
}
impl ToSchema for Rating {}
