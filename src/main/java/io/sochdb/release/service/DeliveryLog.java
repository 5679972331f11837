package io.sochdb.release.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Webhook delivery ids already handled, kept in an append-only file so that a redelivery after a restart still
 * starts nothing.
 */
public final class DeliveryLog {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,100}");
    private final Path file;
    private final Set<String> seen = new HashSet<>();

    public DeliveryLog(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file)) {
                Files.readAllLines(file, StandardCharsets.US_ASCII).stream().map(String::strip)
                        .filter(l -> !l.isEmpty()).forEach(seen::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the webhook delivery log " + file, e);
        }
    }

    /** Records the id; false when it was handled before. */
    public synchronized boolean firstTime(String deliveryId) {
        if (deliveryId == null || !ID.matcher(deliveryId).matches()) {
            return true;
        }
        if (!seen.add(deliveryId)) {
            return false;
        }
        try {
            Files.writeString(file, deliveryId + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record webhook delivery " + deliveryId, e);
        }
        return true;
    }
}
