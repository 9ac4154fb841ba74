//! Points in time as the API writes them.

use std::fmt;
use std::time::SystemTime;
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

/// A point in time as the API writes it, by default RFC 2822 text, `Thu, 13 Oct 2011 18:02:00 +0000`.
///
/// Made from a time value ([`SystemTime`], [`time::OffsetDateTime`]) it is written in RFC 2822;
/// made from text it is sent as given (where the API also takes a Unix time, `"1318528920"`
/// works). Read from an answer it keeps what it came as, whatever the format, so an unusual
/// date never fails a whole response, and written out it is that again (a number stays a
/// number); [`to_offset_date_time`](Self::to_offset_date_time) reads it.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: String,
    /// Whether it came as a JSON number (Unix seconds; `text` holds its digits), which it is
    /// written out as. (A flag, not the number: a list of answers holds one in every item.)
    number: bool,
}

impl Timestamp {
    /// The current time.
    pub fn now() -> Timestamp {
        Timestamp::from(OffsetDateTime::now_utc())
    }

    /// A time that came as a JSON number.
    pub(crate) fn from_number(number: serde_json::Number) -> Timestamp {
        Timestamp { text: number.to_string(), number: true }
    }

    /// The time as text, as it is sent or as it came.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The time, read from RFC 2822 (numeric or named zone such as `UTC`, `GMT`), RFC 3339, or a
    /// Unix time in seconds (with or without a fraction); `None` for text in any other form.
    pub fn to_offset_date_time(&self) -> Option<OffsetDateTime> {
        let text = self.text.trim();
        if let Ok(seconds) = text.parse::<i64>() {
            return OffsetDateTime::from_unix_timestamp(seconds).ok();
        }
        // Unix seconds with a fraction (`1529704976.104692`), as the events API writes them.
        if let Some(nanos) = text.parse::<f64>().ok().filter(|s| s.is_finite()).map(|s| (s * 1e9) as i128) {
            return OffsetDateTime::from_unix_timestamp_nanos(nanos).ok();
        }
        if let Ok(time) = OffsetDateTime::parse(text, &Rfc2822) {
            return Some(time);
        }
        // RFC 1123 dates ending in `UTC` (not a zone RFC 2822 knows) or `GMT`: the same as +0000.
        let named_zone = ["UTC", "GMT", "UT"].iter().find_map(|zone| text.strip_suffix(zone));
        if let Some(rest) = named_zone
            && let Ok(time) = OffsetDateTime::parse(&format!("{rest}+0000"), &Rfc2822)
        {
            return Some(time);
        }
        OffsetDateTime::parse(text, &Rfc3339).ok()
    }

    /// The time as a [`SystemTime`]; `None` when [`to_offset_date_time`](Self::to_offset_date_time) cannot read it.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        self.to_offset_date_time().map(SystemTime::from)
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(time: OffsetDateTime) -> Timestamp {
        // RFC 2822 cannot write years before 1900; such a time is sent as Unix seconds.
        match time.format(&Rfc2822) {
            Ok(text) => Timestamp::from(text),
            Err(_) => Timestamp::from(time.unix_timestamp().to_string()),
        }
    }
}

impl From<SystemTime> for Timestamp {
    fn from(time: SystemTime) -> Timestamp {
        Timestamp::from(OffsetDateTime::from(time))
    }
}

impl From<String> for Timestamp {
    fn from(text: String) -> Timestamp {
        Timestamp { text, number: false }
    }
}

impl From<&str> for Timestamp {
    fn from(text: &str) -> Timestamp {
        Timestamp::from(text.to_owned())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Timestamp").field(&self.text).finish()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.number.then(|| self.text.parse::<serde_json::Number>().ok()).flatten() {
            Some(number) => serde::Serialize::serialize(&number, serializer),
            None => serializer.serialize_str(&self.text),
        }
    }
}

/// Text as it came, or a number (Unix seconds) as its digits.
impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date as text or a Unix time")
            }
            fn visit_str<E>(self, text: &str) -> Result<Timestamp, E> {
                Ok(Timestamp::from(text))
            }
            fn visit_i64<E>(self, seconds: i64) -> Result<Timestamp, E> {
                Ok(Timestamp::from_number(seconds.into()))
            }
            fn visit_u64<E>(self, seconds: u64) -> Result<Timestamp, E> {
                Ok(Timestamp::from_number(seconds.into()))
            }
            fn visit_f64<E>(self, seconds: f64) -> Result<Timestamp, E> {
                match serde_json::Number::from_f64(seconds) {
                    Some(number) => Ok(Timestamp::from_number(number)),
                    None => Ok(Timestamp::from(seconds.to_string())),
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl crate::wire::WireValue for Timestamp {
    fn append(&self, name: &str, fields: &mut crate::wire::Fields) {
        fields.text(name, self.text.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn time_values_are_written_in_rfc_2822() {
        let time = UNIX_EPOCH + Duration::from_secs(1_318_528_920);
        assert_eq!(Timestamp::from(time).as_str(), "Thu, 13 Oct 2011 18:02:00 +0000");
    }

    #[test]
    fn text_is_kept_as_given_and_read_in_rfc_2822_rfc_3339_and_unix_seconds() {
        let expected = UNIX_EPOCH + Duration::from_secs(1_318_528_920);
        for text in [
            "Thu, 13 Oct 2011 18:02:00 +0000",
            "Thu, 13 Oct 2011 18:02:00 -0000",
            "Thu, 13 Oct 2011 20:02:00 +0200",
            "Thu, 13 Oct 2011 18:02:00 UTC",
            "Thu, 13 Oct 2011 18:02:00 GMT",
            "2011-10-13T18:02:00Z",
            "1318528920",
            "1318528920.0",
        ] {
            let stamp = Timestamp::from(text);
            assert_eq!(stamp.as_str(), text);
            assert_eq!(stamp.to_system_time(), Some(expected), "{text}");
        }
        assert_eq!(Timestamp::from("next Tuesday").to_system_time(), None);
    }

    #[test]
    fn answers_decode_from_text_or_numbers() {
        let read: Timestamp = serde_json::from_str(r#""Thu, 13 Oct 2011 18:02:00 UTC""#).unwrap();
        assert_eq!(read.as_str(), "Thu, 13 Oct 2011 18:02:00 UTC");
        let read: Timestamp = serde_json::from_str("1318528920").unwrap();
        assert_eq!(read.to_system_time(), Some(UNIX_EPOCH + Duration::from_secs(1_318_528_920)));
        assert_eq!(serde_json::to_string(&read).unwrap(), "1318528920", "a number is written back as one");
        let read: Timestamp = serde_json::from_str("1521472262.908181").unwrap();
        assert_eq!(serde_json::to_string(&read).unwrap(), "1521472262.908181");
        assert_eq!(serde_json::to_string(&Timestamp::from("1318528920")).unwrap(), r#""1318528920""#);
    }
}
