//! Points in time as the API writes them.

use std::fmt;
use std::time::SystemTime;
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

/// A point in time as the API writes it.
///
/// Made from a time value ([`SystemTime`], [`time::OffsetDateTime`]) it is written in the form
/// the API takes (`Timestamp::now` says which); made from text it is sent as given (where the
/// API also takes a Unix time, `"1318528920"` works). Read from an answer it keeps what it came
/// as, whatever the format, so an unusual date never fails a whole response, and written out it
/// is that again (a number stays a number); [`to_offset_date_time`](Self::to_offset_date_time)
/// reads it.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: String,
    /// Whether it came as a JSON number (Unix seconds; `text` holds its digits), which it is
    /// written out as. (A flag, not the number: a list of answers holds one in every item.)
    number: bool,
}

/// The form a time value is written in: the generated crate says which its API takes (its
/// `From<SystemTime>`, `From<OffsetDateTime>` and `Timestamp::now` are generated with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // a crate writes its own API's form only
pub(crate) enum TimeFormat {
    /// RFC 3339, `2011-10-13T18:02:00Z`.
    Rfc3339,
    /// The full date of RFC 3339, `2011-10-13`, of the time as given.
    Date,
    /// RFC 2822, `Thu, 13 Oct 2011 18:02:00 +0000`.
    Rfc2822,
}

impl Timestamp {
    /// A time value, written in `format`. A time that format cannot write (RFC 2822 before
    /// 1900, RFC 3339 outside years 0 to 9999) is written as Unix seconds.
    pub(crate) fn from_time(time: OffsetDateTime, format: TimeFormat) -> Timestamp {
        let text = match format {
            TimeFormat::Rfc3339 => time.format(&Rfc3339).ok(),
            TimeFormat::Date => (0..=9999)
                .contains(&time.year())
                .then(|| format!("{:04}-{:02}-{:02}", time.year(), u8::from(time.month()), time.day())),
            TimeFormat::Rfc2822 => time.format(&Rfc2822).ok(),
        };
        Timestamp::from(text.unwrap_or_else(|| time.unix_timestamp().to_string()))
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
    fn append(&self, name: crate::wire::Name, fields: &mut crate::wire::Fields) {
        fields.text(name, &self.text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn time_values_are_written_in_the_apis_form() {
        let time = OffsetDateTime::from(UNIX_EPOCH + Duration::from_secs(1_318_528_920));
        let written = |format| Timestamp::from_time(time, format).as_str().to_owned();
        assert_eq!(written(TimeFormat::Rfc2822), "Thu, 13 Oct 2011 18:02:00 +0000");
        assert_eq!(written(TimeFormat::Rfc3339), "2011-10-13T18:02:00Z");
        assert_eq!(written(TimeFormat::Date), "2011-10-13");
        let evening = time.to_offset(time::UtcOffset::from_hms(-7, 0, 0).unwrap());
        assert_eq!(Timestamp::from_time(evening, TimeFormat::Date).as_str(), "2011-10-13", "the date as given");
        assert_eq!(Timestamp::from_time(evening, TimeFormat::Rfc3339).as_str(), "2011-10-13T11:02:00-07:00");
        let early = OffsetDateTime::from_unix_timestamp(-2_500_000_000).unwrap();
        assert_eq!(Timestamp::from_time(early, TimeFormat::Rfc2822).as_str(), "-2500000000", "before 1900");
        assert_eq!(Timestamp::from_time(early, TimeFormat::Rfc3339).as_str(), "1890-10-11T19:33:20Z");
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
