package io.sochdb.release.fakes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming multipart/form-data reader: parts come one at a time and a part's body is an InputStream that ends
 * at the next boundary, so a file part of any size passes through a fixed buffer. Nothing is read ahead of the
 * part being consumed beyond that buffer.
 */
final class PyPIMultipart {

    /** One part's headers; read its bytes with {@link #body()} before asking for the next part. */
    final class Part {
        final Map<String, String> headers;
        final String name;
        final String filename;
        final String contentType;

        Part(Map<String, String> headers) throws IOException {
            this.headers = headers;
            Map<String, String> disposition = parameters(headers.getOrDefault("content-disposition", ""));
            if (!disposition.containsKey("")
                || !disposition.get("").equalsIgnoreCase("form-data") || !disposition.containsKey("name")) {
                throw new IOException("part without Content-Disposition: form-data; name=...: " + headers);
            }
            this.name = disposition.get("name");
            this.filename = disposition.containsKey("filename*") ? extended(disposition.get("filename*"))
                : disposition.get("filename");
            this.contentType = headers.get("content-type");
        }

        InputStream body() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return readPart(b, off, len);
                }
            };
        }

        /** A text part, decoded as UTF-8 whatever its Content-Type says, as Warehouse decodes form fields. */
        byte[] bytes(int limit) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            for (int n; (n = readPart(chunk, 0, chunk.length)) >= 0; ) {
                if (out.size() + n > limit) {
                    throw new IOException("form field '" + name + "' is larger than " + limit + " bytes");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static final int HEADER_LIMIT = 16 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private boolean inPart;
    private boolean finished;

    PyPIMultipart(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[64 * 1024 + delimiter.length];
        // The body starts with "--boundary"; a CRLF in front lets the first delimiter look like all the others.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
        inPart = true;
    }

    /** The boundary of a multipart/form-data Content-Type, or null if it is not one. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        Map<String, String> params = parameters(contentType);
        String type = params.getOrDefault("", "").toLowerCase(Locale.ROOT);
        String boundary = params.get("boundary");
        return type.equals("multipart/form-data") && boundary != null && !boundary.isEmpty() ? boundary : null;
    }

    /** The next part, or null after the closing delimiter. Whatever is left of the current part is skipped. */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        byte[] skip = new byte[8192];
        while (inPart && readPart(skip, 0, skip.length) >= 0) {
            // skipping the unread rest (or the preamble)
        }
        // After a delimiter: "--" closes the body; otherwise transport padding, then CRLF, then the headers.
        String rest = line();
        if (rest.startsWith("--")) {
            finished = true;
            return null;
        }
        if (!rest.isBlank()) {
            throw new IOException("garbage after boundary: " + rest);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        for (String line; !(line = line()).isEmpty(); ) {
            total += line.length();
            int colon = line.indexOf(':');
            if (total > HEADER_LIMIT || colon < 1) {
                throw new IOException("bad part header: " + line);
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        inPart = true;
        return new Part(headers);
    }

    /** Bytes of the current part; -1 at its closing delimiter, which is then consumed. */
    private int readPart(byte[] b, int off, int len) throws IOException {
        if (!inPart) {
            return -1;
        }
        while (!eof && lim - pos < delimiter.length) {
            fill();
        }
        int at = indexOf(delimiter, pos, lim);
        int available;
        if (at >= 0) {
            available = at - pos;
            if (available == 0) {
                pos += delimiter.length;
                inPart = false;
                return -1;
            }
        } else {
            if (eof) {
                throw new IOException("multipart body ends without its closing boundary");
            }
            // Keep a tail that may be the start of a delimiter cut by the buffer's end.
            available = lim - pos - (delimiter.length - 1);
            if (available <= 0) {
                fill();
                return readPart(b, off, len);
            }
        }
        int n = Math.min(len, available);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        if (at < 0 && lim - pos < delimiter.length) {
            fill();
        }
        return n;
    }

    private String line() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            if (pos == lim) {
                fill();
                if (pos == lim) {
                    if (out.size() > 0) {
                        break; // "--boundary--" with no CRLF after it
                    }
                    throw new IOException("multipart body ends in a header");
                }
            }
            byte c = buf[pos++];
            if (c == '\n') {
                break;
            }
            if (out.size() > HEADER_LIMIT) {
                throw new IOException("part header line too long");
            }
            out.write(c);
        }
        String s = out.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private void fill() throws IOException {
        if (eof) {
            return;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
        } else {
            lim += n;
        }
    }

    private int indexOf(byte[] needle, int from, int to) {
        byte first = needle[0];
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** {@code value; a=1; b="x;y"} as {"" → value, a → 1, b → x;y}; parameter names in lower case. */
    static Map<String, String> parameters(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = header.length();
        StringBuilder token = new StringBuilder();
        String key = "";
        boolean inValue = true;
        while (i <= n) {
            char c = i < n ? header.charAt(i) : ';';
            if (c == '"' && inValue) {
                for (i++; i < n && header.charAt(i) != '"'; i++) {
                    if (header.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    token.append(header.charAt(i));
                }
            } else if (c == ';') {
                out.putIfAbsent(key, token.toString().trim());
                token.setLength(0);
                key = null;
                inValue = false;
            } else if (c == '=' && !inValue) {
                key = token.toString().trim().toLowerCase(Locale.ROOT);
                token.setLength(0);
                inValue = true;
            } else {
                token.append(c);
            }
            i++;
        }
        out.remove(null);
        return out;
    }

    /** RFC 5987 {@code UTF-8''na%C3%AFve.whl}. */
    private static String extended(String value) {
        int quote = value.indexOf("''");
        String encoded = quote < 0 ? value : value.substring(quote + 2);
        return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
