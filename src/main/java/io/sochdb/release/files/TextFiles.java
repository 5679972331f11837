package io.sochdb.release.files;

import java.io.IOException;
import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Writes the small text outputs (summary.json, summary.md, SHA256SUMS) through camel-file: the text goes to a
 * dot-named temp file next to the target and is renamed over it once complete, so no reader ever sees half a file.
 */
public final class TextFiles {

    private final CamelContext camel;
    private volatile ProducerTemplate template;

    public TextFiles(CamelContext camel) {
        this.camel = camel;
    }

    public void write(Path file, String text) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        String name = target.getFileName().toString();
        // Endpoints are cached per folder; the file name travels in a header.
        String uri = "file:" + target.getParent() + "?tempFileName=." + name + ".part&fileExist=Override"
                + "&eagerDeleteTargetFile=false&charset=utf-8&autoCreate=true";
        try {
            template().sendBodyAndHeader(uri, text, Exchange.FILE_NAME, name);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("cannot write " + target + ": " + cause.getMessage(), cause);
        }
    }

    private ProducerTemplate template() {
        ProducerTemplate built = template;
        if (built == null) {
            synchronized (this) {
                built = template;
                if (built == null) {
                    built = camel.createProducerTemplate();
                    template = built;
                }
            }
        }
        return built;
    }
}
