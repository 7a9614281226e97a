import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.Locale;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import org.joda.time.format.DateTimeFormat;
import org.joda.time.format.DateTimeFormatter;

/**
 * Formats partition paths exactly as Confluent's TimeBasedPartitioner does (configure(), init(),
 * getPartition() and encodedPartitionForTimestamp(), copied from kafka-connect-storage-common):
 * one line per case on stdin, "pattern TAB timezone TAB locale TAB durationMs TAB timestampMs",
 * one path per line on stdout.
 */
public class JodaPaths {
  static long getPartition(long timeGranularityMs, long timestamp, DateTimeZone timeZone) {
    long adjustedTimestamp = timeZone.convertUTCToLocal(timestamp);
    long partitionedTime = (adjustedTimestamp / timeGranularityMs) * timeGranularityMs;
    return timeZone.convertLocalToUTC(partitionedTime, false);
  }

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
    StringBuilder out = new StringBuilder();
    for (String line; (line = in.readLine()) != null; ) {
      if (line.isEmpty()) continue;
      String[] f = line.split("\t", -1);
      DateTimeZone zone = DateTimeZone.forID(f[1]);
      DateTimeFormatter formatter = DateTimeFormat.forPattern(f[0]).withZone(zone).withLocale(new Locale(f[2]));
      DateTime bucket = new DateTime(getPartition(Long.parseLong(f[3]), Long.parseLong(f[4]), formatter.getZone()));
      out.append(bucket.toString(formatter)).append('\n');
    }
    System.out.print(out);
  }
}
