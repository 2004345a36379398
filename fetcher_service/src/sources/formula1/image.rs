//! Circuit map images. [`crate::upstream::Fetch`] hands back only the body,
//! so the content type is read from the bytes themselves (which also turns
//! an HTML error page served as 200 into an error), with the URL's
//! extension as a cross-check.
use super::Formula1Error;

/// Where an image URL points: the origin to fetch it from (`None` when it
/// is a path on the site itself) and the path with its query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageLocation {
    /// `https://media.formula1.com`
    pub origin: Option<String>,
    /// `/image/upload/.../track.png`
    pub path: String,
}

/// Splits an absolute (`https://host/path`), protocol-relative
/// (`//host/path`) or site-relative (`/path`) URL.
pub fn image_location(url: &str) -> Result<ImageLocation, Formula1Error> {
    let bad = || Formula1Error::invalid(url, "circuit image URL", "is not an http(s) URL or a path");
    if url.starts_with('/') && !url.starts_with("//") {
        return Ok(ImageLocation { origin: None, path: url.to_string() });
    }
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme @ ("http" | "https"), rest)) => (scheme, rest),
        Some(_) => return Err(bad()),
        None => ("https", url.strip_prefix("//").ok_or_else(bad)?),
    };
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if host.is_empty() || host.contains('@') {
        return Err(bad());
    }
    let path = if path.is_empty() { "/" } else { path };
    Ok(ImageLocation { origin: Some(format!("{scheme}://{host}")), path: path.to_string() })
}

/// The image type of `bytes`, from their signature.
pub(crate) fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |sig: &[u8]| bytes.starts_with(sig);
    if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && starts(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && (&bytes[8..12] == b"avif" || &bytes[8..12] == b"avis") {
        Some("image/avif")
    } else {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
        let head = head.trim_start_matches('\u{feff}').trim_start();
        ((head.starts_with("<svg") || head.starts_with("<?xml")) && head.contains("<svg")).then_some("image/svg+xml")
    }
}

/// The image type an extension promises, if it is an image extension.
pub(crate) fn by_extension(path: &str) -> Option<&'static str> {
    let file = path.split(['?', '#']).next().unwrap_or(path);
    let ext = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        let media = image_location("https://media.formula1.com/image/upload/q_auto/track.png?x=1").unwrap();
        assert_eq!(media.origin.as_deref(), Some("https://media.formula1.com"));
        assert_eq!(media.path, "/image/upload/q_auto/track.png?x=1");
        assert_eq!(image_location("/content/map.png").unwrap().origin, None);
        assert_eq!(
            image_location("//media.formula1.com/a.svg").unwrap().origin.as_deref(),
            Some("https://media.formula1.com")
        );
        assert!(image_location("ftp://x/y.png").is_err());
        assert!(image_location("map.png").is_err());
        assert!(image_location("https://user@evil/x.png").is_err());
    }

    #[test]
    fn signatures() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some("image/png"));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><svg xmlns=\"\"/>"), Some("image/svg+xml"));
        assert_eq!(sniff(b"<!doctype html><html>"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(by_extension("/a/b/China_Circuit.PNG?w=5"), Some("image/png"));
        assert_eq!(by_extension("/a/b/track"), None);
    }
}
