package io.rustless.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rustless.operator.customresource.RustlessWasmPluginSource;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on a source. Best effort: a failed Event is logged, never fatal. */
final class EventRecorder {

  static final String NORMAL = "Normal";
  static final String WARNING = "Warning";
  private static final int MAX_MESSAGE = 1024;
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

  private final Clock clock;

  EventRecorder(Clock clock) {
    this.clock = clock;
  }

  void record(
      KubernetesClient client,
      RustlessWasmPluginSource source,
      String type,
      String reason,
      String message) {
    var meta = source.getMetadata();
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String text = message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE);
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(Names.eventName(source, reason, System.nanoTime()))
            .withNamespace(meta.getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(source.getApiVersion())
                    .withKind(source.getKind())
                    .withName(meta.getName())
                    .withNamespace(meta.getNamespace())
                    .withUid(meta.getUid())
                    .withResourceVersion(meta.getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(text)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(Names.OPERATOR)
            .endSource()
            .withReportingComponent(Names.OPERATOR)
            .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn(
          "could not record event {} on {}/{}: {}",
          reason,
          meta.getNamespace(),
          meta.getName(),
          e.getMessage());
    }
  }
}
