// Harness prints org.json's view of inputs, one per line; it produced
// ../orgjson_parse.txt. Not part of the Go build (testdata is ignored).
//
// Regenerate the results for the stored inputs with org.json 20240303
// compiled into ./classes:
//
//	javac -cp classes -d . Harness.java
//	grep -av '^#' ../orgjson_parse.txt | cut -f1 | java -cp classes:. Harness parse
//
// Modes: parse (new JSONObject(text), dumped as in dump_test.go), quote
// (JSONObject.quote), double (hex bits -> Double.toString and
// JSONObject.numberToString). Input lines are hex-encoded UTF-8.
import org.json.*;
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;

public class Harness {
  static byte[] unhex(String s) {
    byte[] b = new byte[s.length()/2];
    for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2*i, 2*i+2), 16);
    return b;
  }
  static String dump(Object v) {
    if (v == JSONObject.NULL) return "null";
    if (v instanceof JSONObject) {
      JSONObject o = (JSONObject) v;
      List<String> keys = new ArrayList<>(o.keySet());
      Collections.sort(keys);
      StringBuilder sb = new StringBuilder("O{");
      for (String k : keys) {
        sb.append(JSONObject.quote(k)).append('=').append(dump(o.get(k)));
        sb.append(";gs=");
        try { o.getString(k); sb.append("ok"); } catch (JSONException e) { sb.append(e.getMessage()); }
        sb.append(";go=");
        try { o.getJSONObject(k); sb.append("ok"); } catch (JSONException e) { sb.append(e.getMessage()); }
        sb.append(";gb=");
        try { sb.append(o.getBoolean(k)); } catch (JSONException e) { sb.append(e.getMessage()); }
        sb.append(';');
      }
      return sb.append('}').toString();
    }
    if (v instanceof JSONArray) {
      JSONArray a = (JSONArray) v;
      StringBuilder sb = new StringBuilder("A[");
      for (int i = 0; i < a.length(); i++) { if (i > 0) sb.append(','); sb.append(dump(a.get(i))); }
      return sb.append(']').toString();
    }
    if (v instanceof String) return "S" + JSONObject.quote((String) v);
    return "V" + v.getClass().getName() + ":" + JSONObject.quote(v.toString());
  }
  public static void main(String[] args) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, "UTF-8");
    String line;
    while ((line = r.readLine()) != null) {
      String s = new String(unhex(line), StandardCharsets.UTF_8);
      String res;
      try {
        switch (args[0]) {
          case "parse":
            res = dump(new JSONObject(s));
            break;
          case "quote":
            res = JSONObject.quote(s);
            break;
          case "double": {
            double d = Double.longBitsToDouble(Long.parseUnsignedLong(s, 16));
            String n;
            try { n = JSONObject.numberToString(d); } catch (JSONException e) { n = "ERR"; }
            res = Double.toString(d) + " " + n;
            break;
          }
          default: res = "?";
        }
      } catch (JSONException e) {
        res = "ERR:" + e.getMessage();
      } catch (Throwable e) {
        res = "EXC:" + e;
      }
      out.println(res.replace("\n", "\\n").replace("\r", "\\r"));
    }
    out.flush();
  }
}
