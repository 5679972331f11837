package io.sochdb.release.retry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLException;

/**
 * Which failures wait for a person and which pass by themselves. A refused token, a conflicting file, an untrusted
 * certificate or bad input will fail the same way again, so such a run stays failed until it is triggered again;
 * an outage (connection errors, 5xx and 429 after every retry) is tried again. The same rule holds whatever started a
 * service run, and through a dry run first: its failure is the cause of the release's.
 */
public final class Failures {

    private Failures() {
    }

    public static boolean needsPerson(Throwable failure) {
        if (failure == null) {
            return false;
        }
        if (certificateProblem(failure)) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // A failure that gathers others (one per platform) passes only when every one of them does, also when it
            // is the cause of another (a dry run first, whose failure is the release's).
            Throwable[] gathered = t.getSuppressed();
            if (gathered.length > 0) {
                for (Throwable each : gathered) {
                    if (needsPerson(each)) {
                        return true;
                    }
                }
                return false;
            }
            if (t instanceof Classified classified) {
                return !classified.passing();
            }
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof WaitInterruptedException) {
                return false;
            }
        }
        return true;
    }

    /** TLS refused the peer (unknown CA, wrong host name): only a configuration change (SSL_CERT_FILE) helps. */
    public static boolean certificateProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateException || (t instanceof SSLException
                    && (t instanceof javax.net.ssl.SSLHandshakeException || t instanceof javax.net.ssl.SSLPeerUnverifiedException))) {
                return true;
            }
        }
        return false;
    }
}
