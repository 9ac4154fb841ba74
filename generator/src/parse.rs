//! The downlevelled document → `openapiv3`'s model, naming the failing place.

use crate::error::{escape_token, Issue};

/// Reads a downlevelled document into `openapiv3`'s model.
pub fn openapi(value: serde_yaml::Value) -> Result<openapiv3::OpenAPI, Issue> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer: Vec<String> = e.path().iter().map(|segment| escape_token(&segment.to_string())).collect();
        Issue::at(
            format!("#/{}", pointer.join("/")),
            format!("not a valid OpenAPI 3.0 document after normalisation: {}", e.inner()),
        )
    })
}
