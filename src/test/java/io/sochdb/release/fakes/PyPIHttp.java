package io.sochdb.release.fakes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.mime.FileBody;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/** Plain HttpClient 5 calls against a {@link FakePyPI}, for tests of the fake itself; redirects are not followed. */
final class PyPIHttp implements AutoCloseable {

    record Reply(int status, String contentType, String location, String body) {
    }

    private final CloseableHttpClient http = HttpClients.custom().disableRedirectHandling()
        .disableAutomaticRetries().setDefaultRequestConfig(RequestConfig.custom()
            .setResponseTimeout(Timeout.ofSeconds(120)).build()).build();

    /** The fields twine sends for a file, in twine's order, classifiers repeated. */
    static List<Map.Entry<String, String>> twineFields(String name, String version, String filename, String sha256) {
        boolean wheel = filename.endsWith(".whl");
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("name", name));
        fields.add(Map.entry("version", version));
        fields.add(Map.entry("filetype", wheel ? "bdist_wheel" : "sdist"));
        fields.add(Map.entry("pyversion", wheel ? "py3" : "source"));
        fields.add(Map.entry("metadata_version", "2.1"));
        fields.add(Map.entry("summary", "SochDB client — tiny"));
        fields.add(Map.entry("classifiers", "Programming Language :: Python :: 3"));
        fields.add(Map.entry("classifiers", "License :: OSI Approved :: Apache Software License"));
        fields.add(Map.entry("requires_python", ">=3.9"));
        fields.add(Map.entry("sha256_digest", sha256));
        fields.add(Map.entry(":action", "file_upload"));
        fields.add(Map.entry("protocol_version", "1"));
        return fields;
    }

    static List<Map.Entry<String, String>> with(List<Map.Entry<String, String>> fields, String name, String value) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        fields.stream().filter(e -> !e.getKey().equals(name)).forEach(out::add);
        if (value != null) {
            out.add(Map.entry(name, value));
        }
        return out;
    }

    Reply upload(String url, String token, List<Map.Entry<String, String>> fields, String filename, byte[] content) {
        MultipartEntityBuilder body = form(fields, null);
        body.addBinaryBody("content", content, ContentType.APPLICATION_OCTET_STREAM, filename);
        return uploadWith(url, "__token__", token, body);
    }

    Reply upload(String url, String token, List<Map.Entry<String, String>> fields, String filename, Path content) {
        MultipartEntityBuilder body = form(fields, null);
        body.addPart("content", new FileBody(content.toFile(), ContentType.APPLICATION_OCTET_STREAM, filename));
        return uploadWith(url, "__token__", token, body);
    }

    static MultipartEntityBuilder form(List<Map.Entry<String, String>> fields, ContentType textType) {
        MultipartEntityBuilder body = MultipartEntityBuilder.create().setMode(HttpMultipartMode.EXTENDED)
            .setCharset(StandardCharsets.UTF_8);
        fields.forEach(e -> body.addTextBody(e.getKey(), e.getValue(),
            textType != null ? textType : ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8)));
        return body;
    }

    Reply uploadWith(String url, String user, String password, MultipartEntityBuilder body) {
        HttpPost post = new HttpPost(url);
        if (user != null) {
            post.setHeader("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        post.setEntity(body.build());
        return execute(post);
    }

    Reply get(String url, String accept) {
        return getWith(url, accept == null ? Map.of() : Map.of("Accept", accept));
    }

    Reply getWith(String url, Map<String, String> headers) {
        HttpGet get = new HttpGet(url);
        headers.forEach(get::setHeader);
        return execute(get);
    }

    Reply postJson(String url, String json) {
        HttpPost post = new HttpPost(url);
        post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        return execute(post);
    }

    Reply execute(ClassicHttpRequest request) {
        try {
            return http.execute(request, response -> {
                Header type = response.getFirstHeader("Content-Type");
                Header location = response.getFirstHeader("Location");
                String text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(),
                    StandardCharsets.UTF_8);
                return new Reply(response.getCode(), type == null ? null : type.getValue(),
                    location == null ? null : location.getValue(), text);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
