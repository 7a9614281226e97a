import java.io.RandomAccessFile;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import scala.Option;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag$;
import za.co.absa.cobrix.cobol.parser.ast.Group;
import za.co.absa.cobrix.cobol.parser.ast.Statement;
import za.co.absa.cobrix.cobol.reader.FixedLenNestedReader;
import za.co.absa.cobrix.cobol.reader.extractors.record.RecordHandler;
import za.co.absa.cobrix.cobol.reader.parameters.ReaderParameters;

/**
 * Cobrix's decoding speed on a fixed-length EBCDIC file (bench/mainframe.ts runs it next to
 * Tributary on the same file): cobol-parser's FixedLenNestedReader, the reader spark-cobol uses
 * for fixed-length files, decodes each record (a byte array of its own, as spark-cobol hands it) to its rows (Object[] per group, values as
 * Cobrix makes them: String, Integer, Long, BigDecimal). Mode `rows` stops there; mode `json`
 * also writes each row as a JSON line (field names of the copybook, UTF-8 bytes into a reused
 * buffer) with a plain hand-written writer, the nearest Java counterpart of `mainframe decode`.
 * Args: copybook, data file, rows|json, passes, bytes to warm up with. Prints one JSON object per
 * pass on stdout: bytes, records, seconds, cpuSeconds (this thread).
 */
public final class CobrixBench {
  static final class ArrayHandler implements RecordHandler<Object[]>, java.io.Serializable {
    public Object[] create(Object[] values, Group group) { return values; }
    public Seq<Object> toSeq(Object[] record) { return JavaConverters.asScalaBufferConverter(java.util.Arrays.asList(record)).asScala(); }
    public void foreach(Object[] record, scala.Function1<Object, scala.runtime.BoxedUnit> f) { for (Object o : record) f.apply(o); }
  }

  public static void main(String[] args) throws Exception {
    String copybook = new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8);
    String data = args[1];
    boolean json = args[2].equals("json");
    int passes = Integer.parseInt(args[3]);
    long warmup = Long.parseLong(args[4]);
    Map<String, Object> p = new HashMap<>();
    p.put("isEbcdic", true);
    p.put("ebcdicCodePage", "cp037");
    Class<?> st = Class.forName("za.co.absa.cobrix.cobol.parser.policies.StringTrimmingPolicy$");
    p.put("stringTrimmingPolicy", ((Option<?>) st.getMethod("withNameOpt", String.class).invoke(st.getField("MODULE$").get(null), "right")).get());
    Class<?> srp = Class.forName("za.co.absa.cobrix.cobol.reader.policies.SchemaRetentionPolicy$");
    p.put("schemaPolicy", ((Option<?>) srp.getMethod("withNameOpt", String.class).invoke(srp.getField("MODULE$").get(null), "collapse_root")).get());
    ReaderParameters params = build(p);
    Object codePage = za.co.absa.cobrix.cobol.parser.encoding.codepage.CodePage$.MODULE$.getCodePageByName("cp037");
    FixedLenNestedReader<Object[]> reader = new FixedLenNestedReader<>(JavaConverters.asScalaBufferConverter(java.util.Collections.singletonList(copybook)).asScala(),
        true, (za.co.absa.cobrix.cobol.parser.encoding.codepage.CodePage) codePage, params.floatingPointFormat(), 0, 0, params.schemaPolicy(), params.stringTrimmingPolicy(),
        params.dropGroupFillers(), params.dropValueFillers(), params.fillerNamingPolicy(), params.nonTerminals(), params.occursMappings(), params, new ArrayHandler(), ClassTag$.MODULE$.apply(Object[].class));
    int size = reader.getRecordSize();
    // collapse_root: a row holds the record's fields; each group an Object[] of its own
    Group root = (Group) reader.getCobolSchema().copybook().ast().children().apply(0);
    byte[][] keys = keysOf(root);
    if (warmup > 0) run(reader, data, size, json, root, keys, warmup);
    for (int i = 0; i < passes; i++) {
      long[] r = run(reader, data, size, json, root, keys, Long.MAX_VALUE);
      System.out.println("{\"bytes\":" + r[0] + ",\"records\":" + r[1] + ",\"seconds\":" + (r[2] / 1e9) + ",\"cpuSeconds\":" + (r[3] / 1e9) + ",\"checksum\":" + r[4] + "}");
    }
  }

  static byte[][] keysOf(Group g) {
    List<byte[]> out = new ArrayList<>();
    for (Statement s : JavaConverters.seqAsJavaListConverter(g.children()).asJava()) {
      if (s.isFiller()) continue;
      out.add(("\"" + s.name() + "\":").getBytes(StandardCharsets.UTF_8));
    }
    return out.toArray(new byte[0][]);
  }

  static long[] run(FixedLenNestedReader<Object[]> reader, String data, int size, boolean json, Group root, byte[][] keys, long limit) throws Exception {
    int chunkRecords = 16384;
    byte[] chunk = new byte[size * chunkRecords];
    JsonOut out = new JsonOut();
    long bytes = 0;
    long records = 0;
    long checksum = 0;
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long c0 = mx.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    try (RandomAccessFile f = new RandomAccessFile(data, "r")) {
      while (bytes < limit) {
        int got = f.read(chunk, 0, (int) Math.min(chunk.length, limit - bytes));
        if (got <= 0) break;
        int whole = got - got % size;
        if (whole == 0) break;
        // spark-cobol's fixed-length path hands the reader one byte array per record
        for (int at = 0; at < whole; at += size) {
          scala.collection.Iterator<Seq<Object>> it = reader.getRecordIterator(java.util.Arrays.copyOfRange(chunk, at, at + size));
          while (it.hasNext()) {
            Seq<Object> row = it.next();
            records++;
            if (json) {
              out.pos = 0;
              out.record(row, keys);
              checksum += out.pos;
            } else checksum += row.length();
          }
        }
        bytes += whole;
      }
    }
    return new long[] { bytes, records, System.nanoTime() - t0, mx.getCurrentThreadCpuTime() - c0, checksum };
  }

  /** A JSON line per row into a reused byte buffer (strings escaped as JSON requires). */
  static final class JsonOut {
    byte[] buf = new byte[1 << 16];
    int pos;

    void ensure(int n) { if (pos + n > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n)); }

    void record(Seq<Object> row, byte[][] keys) {
      ensure(2);
      buf[pos++] = '{';
      int n = row.length();
      for (int i = 0; i < n; i++) {
        if (i > 0) { ensure(1); buf[pos++] = ','; }
        byte[] k = i < keys.length ? keys[i] : ("\"f" + i + "\":").getBytes(StandardCharsets.UTF_8);
        ensure(k.length);
        System.arraycopy(k, 0, buf, pos, k.length);
        pos += k.length;
        value(row.apply(i));
      }
      ensure(2);
      buf[pos++] = '}';
      buf[pos++] = '\n';
    }

    void value(Object v) {
      if (v == null) { ascii("null"); return; }
      if (v instanceof String) { string((String) v); return; }
      if (v instanceof java.math.BigDecimal) { ensure(2); buf[pos++] = '"'; ascii(((java.math.BigDecimal) v).toPlainString()); buf[pos++] = '"'; return; }
      if (v instanceof Object[]) {
        Object[] a = (Object[]) v;
        ensure(1);
        buf[pos++] = '[';
        for (int i = 0; i < a.length; i++) { if (i > 0) { ensure(1); buf[pos++] = ','; } value(a[i]); }
        ensure(1);
        buf[pos++] = ']';
        return;
      }
      ascii(v.toString());
    }

    void ascii(String s) {
      ensure(s.length() + 2);
      for (int i = 0; i < s.length(); i++) buf[pos++] = (byte) s.charAt(i);
    }

    void string(String s) {
      ensure(s.length() * 6 + 2);
      buf[pos++] = '"';
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') { buf[pos++] = '\\'; buf[pos++] = (byte) c; }
        else if (c < 0x20) { String h = String.format("\\u%04x", (int) c); for (int k = 0; k < 6; k++) buf[pos++] = (byte) h.charAt(k); }
        else if (c < 0x80) buf[pos++] = (byte) c;
        else if (c < 0x800) { buf[pos++] = (byte) (0xc0 | (c >> 6)); buf[pos++] = (byte) (0x80 | (c & 0x3f)); }
        else { buf[pos++] = (byte) (0xe0 | (c >> 12)); buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f)); buf[pos++] = (byte) (0x80 | (c & 0x3f)); }
      }
      buf[pos++] = '"';
    }
  }

  static ReaderParameters build(Map<String, Object> overrides) throws Exception {
    Class<?> companion = Class.forName("za.co.absa.cobrix.cobol.reader.parameters.ReaderParameters$");
    Object module = companion.getField("MODULE$").get(null);
    Constructor<?> ctor = ReaderParameters.class.getConstructors()[0];
    int n = ctor.getParameterCount();
    Object[] args = new Object[n];
    for (int i = 0; i < n; i++) args[i] = companion.getMethod("$lessinit$greater$default$" + (i + 1)).invoke(module);
    List<String> names = new ArrayList<>();
    for (Field f : ReaderParameters.class.getDeclaredFields()) if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) names.add(f.getName());
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      int i = names.indexOf(e.getKey());
      if (i < 0) throw new IllegalArgumentException("no ReaderParameters field " + e.getKey());
      args[i] = e.getValue();
    }
    return (ReaderParameters) ctor.newInstance(args);
  }
}
