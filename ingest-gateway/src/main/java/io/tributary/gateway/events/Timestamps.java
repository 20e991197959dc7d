package io.tributary.gateway.events;

/**
 * Parses the timestamp and date forms the Events API accepts, by hand (no regex, no allocation
 * unless the value is refused):
 * <ul>
 *   <li>{@code YYYY-MM-DD HH:MM:SS[.S..SSS]}: the seeds' format, taken as UTC;</li>
 *   <li>{@code YYYY-MM-DDTHH:MM:SS[.S..SSS](Z|±HH:MM)}: ISO-8601 / RFC 3339 with an explicit zone;</li>
 *   <li>dates {@code YYYY-MM-DD}.</li>
 * </ul>
 * Impossible dates (2023-02-30), year 0000, hours past 23, seconds past 59 (no leap seconds) and
 * more than three fraction digits (sub-millisecond precision would be silently lost) are refused.
 */
final class Timestamps {
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final String TIMESTAMP = "timestamp";
    private static final String TIMESTAMP_FORMS =
            "expected 'YYYY-MM-DD HH:MM:SS[.SSS]' (UTC) or ISO-8601 'YYYY-MM-DDTHH:MM:SS[.SSS](Z|±HH:MM)'";
    private static final String DATE = "date";
    private static final String DATE_FORM = "expected 'YYYY-MM-DD'";

    private Timestamps() {
    }

    /** Epoch milliseconds of the timestamp in {@code c[off, off+len)}. */
    static long parseTimestampMillis(char[] c, int off, int len) throws FieldRejection {
        if (len < 19) {
            throw invalid(c, off, len, TIMESTAMP, TIMESTAMP_FORMS);
        }
        long epochDay = parseDate(c, off, len, TIMESTAMP, TIMESTAMP_FORMS);
        char separator = c[off + 10];
        boolean iso = separator == 'T' || separator == 't';
        int hour = twoDigits(c, off + 11);
        int minute = twoDigits(c, off + 14);
        int second = twoDigits(c, off + 17);
        if ((!iso && separator != ' ') || c[off + 13] != ':' || c[off + 16] != ':' || (hour | minute | second) < 0) {
            throw invalid(c, off, len, TIMESTAMP, TIMESTAMP_FORMS);
        }
        if (hour > 23 || minute > 59 || second > 59) {
            throw invalid(c, off, len, TIMESTAMP, "time of day out of range");
        }
        int i = off + 19;
        int end = off + len;
        int millis = 0;
        if (i < end && c[i] == '.') {
            i++;
            int digits = 0;
            while (i < end && isDigit(c[i])) {
                if (digits == 3) {
                    throw invalid(c, off, len, TIMESTAMP, "at most 3 fraction digits (millisecond precision)");
                }
                millis = millis * 10 + (c[i] - '0');
                digits++;
                i++;
            }
            if (digits == 0) {
                throw invalid(c, off, len, TIMESTAMP, TIMESTAMP_FORMS);
            }
            for (int d = digits; d < 3; d++) {
                millis *= 10;
            }
        }
        int offsetSeconds = 0;
        if (iso) {
            if (i >= end) {
                throw invalid(c, off, len, TIMESTAMP, "ISO-8601 timestamps need a zone: Z or ±HH:MM");
            }
            char zone = c[i];
            if ((zone == 'Z' || zone == 'z') && i + 1 == end) {
                i++;
            } else if ((zone == '+' || zone == '-') && i + 6 == end) {
                int offsetHours = twoDigits(c, i + 1);
                int offsetMinutes = twoDigits(c, i + 4);
                if (c[i + 3] != ':' || (offsetHours | offsetMinutes) < 0) {
                    throw invalid(c, off, len, TIMESTAMP, TIMESTAMP_FORMS);
                }
                if (offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 18 * 60) {
                    throw invalid(c, off, len, TIMESTAMP, "zone offset out of range");
                }
                offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (zone == '-' ? -1 : 1);
                i += 6;
            } else {
                throw invalid(c, off, len, TIMESTAMP, TIMESTAMP_FORMS);
            }
        }
        if (i != end) {
            throw invalid(c, off, len, TIMESTAMP, TIMESTAMP_FORMS);
        }
        return epochDay * MILLIS_PER_DAY + (hour * 3600L + minute * 60L + second - offsetSeconds) * 1000L + millis;
    }

    /** Days since 1970-01-01 of the date {@code YYYY-MM-DD} that is exactly {@code c[off, off+len)}. */
    static long parseEpochDay(char[] c, int off, int len) throws FieldRejection {
        if (len != 10) {
            throw invalid(c, off, len, DATE, DATE_FORM);
        }
        return parseDate(c, off, len, DATE, DATE_FORM);
    }

    /** The {@code YYYY-MM-DD} at the start of the value ({@code len >= 10}). */
    private static long parseDate(char[] c, int off, int len, String kind, String forms) throws FieldRejection {
        int century = twoDigits(c, off);
        int yearOfCentury = twoDigits(c, off + 2);
        int month = twoDigits(c, off + 5);
        int day = twoDigits(c, off + 8);
        if (c[off + 4] != '-' || c[off + 7] != '-' || (century | yearOfCentury | month | day) < 0) {
            throw invalid(c, off, len, kind, forms);
        }
        int year = century * 100 + yearOfCentury;
        if (year < 1) {
            throw invalid(c, off, len, kind, "year 0000 does not exist");
        }
        if (month < 1 || month > 12) {
            throw invalid(c, off, len, kind, "month " + month + " does not exist");
        }
        if (day < 1 || day > lengthOfMonth(year, month)) {
            throw invalid(c, off, len, kind, "day " + day + " does not exist in " + String.format("%04d-%02d", year, month));
        }
        return epochDay(year, month, day);
    }

    /** The two-digit number at {@code c[at]}, or -1 when those are not two digits. */
    private static int twoDigits(char[] c, int at) {
        int tens = c[at] - '0';
        int ones = c[at + 1] - '0';
        return tens < 0 || tens > 9 || ones < 0 || ones > 9 ? -1 : tens * 10 + ones;
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean isLeap(int year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    /** Days from civil date (proleptic Gregorian, as java.time), after Howard Hinnant's algorithm. */
    private static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    private static FieldRejection invalid(char[] c, int off, int len, String kind, String why) {
        return new FieldRejection(FieldRejection.quote(new String(c, off, len)) + " is not a valid " + kind + ": " + why);
    }
}
