/*
 * Decodes mainframe files with Cobrix's own reader (za.co.absa.cobrix:cobol-parser, no Spark):
 * the oracle of the Cobrix parity suite. Input: a manifest, one case per line:
 *   <case id> TAB <copybook path> TAB <data path> TAB <options: key=value joined by \u0001>
 * Output: per case, a line "#case <id>" then one JSON array per record (groups as arrays of
 * their non-filler fields, in copybook order), or "#error <message>".
 * The option names are Cobrix's (spark-cobol's CobolParametersParser) mapped onto ReaderParameters.
 */
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
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
import za.co.absa.cobrix.cobol.reader.FixedLenNestedReader;
import za.co.absa.cobrix.cobol.reader.VarLenNestedReader;
import za.co.absa.cobrix.cobol.reader.extractors.record.RecordHandler;
import za.co.absa.cobrix.cobol.reader.parameters.ReaderParameters;
import za.co.absa.cobrix.cobol.reader.stream.FSStream;

public class CobrixDecode {
  static final class ArrayHandler implements RecordHandler<Object[]>, java.io.Serializable {
    public Object[] create(Object[] values, Group group) { return values; }
    public Seq<Object> toSeq(Object[] record) { return JavaConverters.asScalaBufferConverter(java.util.Arrays.asList(record)).asScala(); }
    public void foreach(Object[] record, scala.Function1<Object, scala.runtime.BoxedUnit> f) { for (Object o : record) f.apply(o); }
  }

  public static void main(String[] args) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8)) {
      if (line.isEmpty()) continue;
      String[] parts = line.split("\t", -1);
      out.append("#case ").append(parts[0]).append('\n');
      Map<String, String> opts = new HashMap<>();
      if (!parts[3].isEmpty()) for (String kv : parts[3].split("\u0001")) { int i = kv.indexOf('='); opts.put(kv.substring(0, i).toLowerCase(), kv.substring(i + 1)); }
      try {
        // several copybooks (Cobrix's copybooks option): paths separated by commas
        List<String> copybooks = new ArrayList<>();
        for (String cp : parts[1].split(",")) copybooks.add(new String(Files.readAllBytes(Paths.get(cp)), StandardCharsets.UTF_8));
        StringBuilder rows = new StringBuilder();
        decode(copybooks, parts[2], opts, rows);
        out.append(rows);
      } catch (Throwable t) { if (System.getenv("COBRIX_TRACE") != null) t.printStackTrace();
        Throwable c = t;
        while (c.getCause() != null && c.getMessage() == null) c = c.getCause();
        out.append("#error ").append(String.valueOf(c.getMessage()).replace('\n', ' ')).append('\n');
      }
    }
    System.out.write(out.toString().getBytes(StandardCharsets.UTF_8));
    System.out.flush();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static void decode(List<String> copybooks, String dataPath, Map<String, String> o, StringBuilder rows) throws Exception {
    Map<String, Object> p = new HashMap<>();
    String format = o.getOrDefault("record_format", "F").toUpperCase();
    Class<?> rf = Class.forName("za.co.absa.cobrix.cobol.parser.recordformats.RecordFormat$");
    Object rfModule = rf.getField("MODULE$").get(null);
    Object recordFormat = rf.getMethod("withNameOpt", String.class).invoke(rfModule, format);
    p.put("recordFormat", ((Option<?>) recordFormat).get());
    boolean variable = format.equals("V") || format.equals("VB") || format.equals("FB");
    p.put("isRecordSequence", variable);
    if (format.equals("VB")) {
      Class<?> bdw = Class.forName("za.co.absa.cobrix.cobol.reader.parameters.Bdw");
      Constructor<?> bc = bdw.getConstructors()[0];
      p.put("bdw", Option.apply(bc.newInstance(Boolean.parseBoolean(o.getOrDefault("is_bdw_big_endian", "false")), Integer.parseInt(o.getOrDefault("bdw_adjustment", "0")), Option.empty(), Option.empty())));
    }
    p.put("isEbcdic", !o.getOrDefault("encoding", "ebcdic").equalsIgnoreCase("ascii"));
    if (o.containsKey("ebcdic_code_page")) p.put("ebcdicCodePage", o.get("ebcdic_code_page"));
    if (o.containsKey("ascii_charset")) p.put("asciiCharset", o.get("ascii_charset"));
    if (o.containsKey("is_rdw_big_endian")) p.put("isRdwBigEndian", Boolean.parseBoolean(o.get("is_rdw_big_endian")));
    if (o.containsKey("rdw_adjustment")) p.put("rdwAdjustment", Integer.parseInt(o.get("rdw_adjustment")));
    if (o.containsKey("record_length")) p.put("recordLength", Option.apply(Integer.valueOf(o.get("record_length"))));
    if (o.containsKey("record_length_field")) { p.put("lengthFieldExpression", Option.apply(o.get("record_length_field"))); }
    if (o.containsKey("variable_size_occurs")) p.put("variableSizeOccurs", Boolean.parseBoolean(o.get("variable_size_occurs")));
    for (String[] k : new String[][] {{"file_start_offset", "fileStartOffset"}, {"file_end_offset", "fileEndOffset"}, {"record_start_offset", "startOffset"}, {"record_end_offset", "endOffset"}}) {
      if (o.containsKey(k[0])) p.put(k[1], Integer.parseInt(o.get(k[0])));
    }
    if (o.containsKey("non_terminals")) p.put("nonTerminals", JavaConverters.asScalaBufferConverter(java.util.Arrays.asList(o.get("non_terminals").split(","))).asScala().toList());
    if (o.containsKey("occurs_mappings")) p.put("occursMappings", occursMappings(o.get("occurs_mappings")));
    if (o.containsKey("generate_record_id")) p.put("generateRecordId", Boolean.parseBoolean(o.get("generate_record_id")));
    if (o.containsKey("strict_sign_overpunching")) p.put("strictSignOverpunch", Boolean.parseBoolean(o.get("strict_sign_overpunching")));
    p.put("improvedNullDetection", Boolean.parseBoolean(o.getOrDefault("improved_null_detection", "true")));
    if (o.containsKey("drop_group_fillers")) p.put("dropGroupFillers", Boolean.parseBoolean(o.get("drop_group_fillers")));
    if (o.containsKey("drop_value_fillers")) p.put("dropValueFillers", Boolean.parseBoolean(o.get("drop_value_fillers")));
    if (o.containsKey("string_trimming_policy")) {
      Class<?> st = Class.forName("za.co.absa.cobrix.cobol.parser.policies.StringTrimmingPolicy$");
      Object m = st.getField("MODULE$").get(null);
      p.put("stringTrimmingPolicy", ((Option<?>) st.getMethod("withNameOpt", String.class).invoke(m, o.get("string_trimming_policy").toLowerCase())).get());
    }
    if (o.containsKey("floating_point_format")) {
      Class<?> fp = Class.forName("za.co.absa.cobrix.cobol.parser.decoders.FloatingPointFormat$");
      Object m = fp.getField("MODULE$").get(null);
      p.put("floatingPointFormat", ((Option<?>) fp.getMethod("withNameOpt", String.class).invoke(m, o.get("floating_point_format"))).get());
    }
    String policy = o.getOrDefault("schema_retention_policy", "collapse_root");
    Class<?> srp = Class.forName("za.co.absa.cobrix.cobol.reader.policies.SchemaRetentionPolicy$");
    Object srpModule = srp.getField("MODULE$").get(null);
    p.put("schemaPolicy", ((Option<?>) srp.getMethod("withNameOpt", String.class).invoke(srpModule, policy)).get());
    if (o.containsKey("segment_field")) {
      Map<String, String> idMap = new HashMap<>();
      Map<String, String> fieldParent = new HashMap<>();
      for (Map.Entry<String, String> e : o.entrySet()) {
        if (e.getKey().startsWith("redefine-segment-id-map") || e.getKey().startsWith("redefine_segment_id_map")) {
          String[] kv = e.getValue().split("=>");
          for (String id : kv[1].split(",")) idMap.put(id.trim(), kv[0].trim().toUpperCase().replace('-', '_'));
        }
        if (e.getKey().startsWith("segment-children") || e.getKey().startsWith("segment_children")) {
          String[] kv = e.getValue().split("=>");
          for (String child : kv[1].split(",")) fieldParent.put(child.trim().toUpperCase().replace('-', '_'), kv[0].trim().toUpperCase().replace('-', '_'));
        }
      }
      List<String> levels = new ArrayList<>();
      for (int i = 0; o.containsKey("segment_id_level" + i); i++) levels.add(o.get("segment_id_level" + i));
      Class<?> msp = Class.forName("za.co.absa.cobrix.cobol.reader.parameters.MultisegmentParameters");
      Constructor<?> mc = msp.getConstructors()[0];
      Object filter = o.containsKey("segment_filter") ? Option.apply(JavaConverters.asScalaBufferConverter(java.util.Arrays.asList(o.get("segment_filter").split(","))).asScala().toList()) : Option.empty();
      Object ms = mc.newInstance(o.get("segment_field"), filter, JavaConverters.asScalaBufferConverter(levels).asScala().toList(), o.getOrDefault("segment_id_prefix", ""),
          toScala(idMap),
          toScala(fieldParent));
      p.put("multisegment", Option.apply(ms));
    }
    ReaderParameters params = build(p);
    boolean fixed = dataPath.equals("-layout") || !variable && !Boolean.parseBoolean(o.getOrDefault("variable_size_occurs", "false")) && !o.containsKey("record_length_field")
        && !o.containsKey("segment_id_level0") && !o.keySet().stream().anyMatch(k -> k.startsWith("segment-children") || k.startsWith("segment_children"))
        ;
    if (fixed) {
      // spark-cobol's fixed-length path: the file cut into records, each decoded by FixedLenNestedReader
      int start = Integer.parseInt(o.getOrDefault("record_start_offset", "0"));
      int end = Integer.parseInt(o.getOrDefault("record_end_offset", "0"));
      Object codePage = za.co.absa.cobrix.cobol.parser.encoding.codepage.CodePage$.MODULE$.getCodePageByName(o.getOrDefault("ebcdic_code_page", "common"));
      FixedLenNestedReader<Object[]> reader = new FixedLenNestedReader<>(JavaConverters.asScalaBufferConverter(copybooks).asScala(),
          params.isEbcdic(), (za.co.absa.cobrix.cobol.parser.encoding.codepage.CodePage) codePage, params.floatingPointFormat(), start, end, params.schemaPolicy(), params.stringTrimmingPolicy(),
          params.dropGroupFillers(), params.dropValueFillers(), params.fillerNamingPolicy(), params.nonTerminals(), params.occursMappings(), params, new ArrayHandler(), ClassTag$.MODULE$.apply(Object[].class));
      if (dataPath.equals("-layout")) {
        rows.append(reader.getCobolSchema().copybook().generateRecordLayoutPositions()).append('\n');
        return;
      }
      int size = o.containsKey("record_length") ? Integer.parseInt(o.get("record_length")) : reader.getRecordSize();
      byte[] file = Files.readAllBytes(Paths.get(dataPath));
      // spark-cobol cuts the header and trailer (file_start_offset, file_end_offset) and adds the record id columns itself
      int fileStart = Integer.parseInt(o.getOrDefault("file_start_offset", "0"));
      byte[] data = java.util.Arrays.copyOfRange(file, fileStart, file.length - Integer.parseInt(o.getOrDefault("file_end_offset", "0")));
      boolean recordId = Boolean.parseBoolean(o.getOrDefault("generate_record_id", "false"));
      if (data.length % size != 0) throw new IllegalStateException("file size " + data.length + " is not a multiple of the record size " + size);
      long index = 0;
      for (int at = 0; at + size <= data.length; at += size, index++) {
        scala.collection.Iterator<Seq<Object>> it = reader.getRecordIterator(java.util.Arrays.copyOfRange(data, at, at + size));
        while (it.hasNext()) {
          List<Object> row = new ArrayList<>();
          if (recordId) { row.add(Integer.parseInt(o.getOrDefault("harness_file_id", "0"))); row.add(index); row.add(size); }
          row.addAll(JavaConverters.seqAsJavaListConverter(it.next()).asJava());
          json(row.toArray(), rows);
          rows.append('\n');
        }
      }
      return;
    }
    VarLenNestedReader<Object[]> reader = new VarLenNestedReader<>(JavaConverters.asScalaBufferConverter(copybooks).asScala(), params, new ArrayHandler(), ClassTag$.MODULE$.apply(Object[].class));
    // harness_file_id: the file's number in a read of several files (spark-cobol's FileWithOrder.order)
    scala.collection.Iterator<Seq<Object>> it = reader.getRecordIterator(new FSStream(dataPath), new FSStream(dataPath), 0L, Integer.parseInt(o.getOrDefault("harness_file_id", "0")), 0L);
    while (it.hasNext()) {
      Seq<Object> row = it.next();
      json(row.toList(), rows);
      rows.append('\n');
    }
  }

  /** {"TABLE":{"A":0,"B":1},...} (the option's JSON, flat strings and integers) as Cobrix's Map[String, Map[String, Int]]. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object occursMappings(String json) {
    Map<String, Object> tables = new HashMap<>();
    java.util.regex.Matcher t = java.util.regex.Pattern.compile("\"([^\"]+)\"\\s*:\\s*\\{([^}]*)\\}").matcher(json);
    while (t.find()) {
      Map<String, Object> values = new HashMap<>();
      java.util.regex.Matcher v = java.util.regex.Pattern.compile("\"([^\"]*)\"\\s*:\\s*(-?\\d+)").matcher(t.group(2));
      while (v.find()) values.put(v.group(1), Integer.valueOf(v.group(2)));
      tables.put(t.group(1), ((scala.collection.mutable.Map) JavaConverters.mapAsScalaMapConverter(values).asScala()).toMap((scala.Predef.$less$colon$less) scala.Predef.$conforms()));
    }
    return ((scala.collection.mutable.Map) JavaConverters.mapAsScalaMapConverter(tables).asScala()).toMap((scala.Predef.$less$colon$less) scala.Predef.$conforms());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object toScala(Map<String, String> m) {
    return ((scala.collection.mutable.Map) JavaConverters.mapAsScalaMapConverter(m).asScala()).toMap((scala.Predef.$less$colon$less) scala.Predef.$conforms());
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

  static void json(Object v, StringBuilder sb) {
    if (v == null) sb.append("null");
    else if (v instanceof String) string((String) v, sb);
    // numbers tagged with their Java type, as text (a JSON number would lose int64 and decimal digits)
    else if (v instanceof Integer || v instanceof Short || v instanceof Byte) tagged("int", v.toString(), sb);
    else if (v instanceof Long) tagged("long", v.toString(), sb);
    else if (v instanceof Float) tagged("float", v.toString(), sb);
    else if (v instanceof Double) tagged("double", v.toString(), sb);
    else if (v instanceof scala.math.BigDecimal) tagged("decimal", ((scala.math.BigDecimal) v).bigDecimal().toPlainString(), sb);
    else if (v instanceof java.math.BigDecimal) tagged("decimal", ((java.math.BigDecimal) v).toPlainString(), sb);
    else if (v instanceof byte[]) { StringBuilder h = new StringBuilder(); for (byte b : (byte[]) v) h.append(String.format("%02X", b)); string(h.toString(), sb); }
    else if (v instanceof Object[]) { sb.append('['); Object[] a = (Object[]) v; for (int i = 0; i < a.length; i++) { if (i > 0) sb.append(','); json(a[i], sb); } sb.append(']'); }
    else if (v instanceof scala.collection.Seq) json(JavaConverters.seqAsJavaListConverter((scala.collection.Seq<?>) v).asJava().toArray(), sb);
    else string(v.getClass().getName() + ":" + v, sb);
  }

  static void tagged(String type, String text, StringBuilder sb) {
    sb.append("{\"").append(type).append("\":");
    string(text, sb);
    sb.append('}');
  }

  static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || Character.isSurrogate(c)) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    sb.append('"');
  }
}
