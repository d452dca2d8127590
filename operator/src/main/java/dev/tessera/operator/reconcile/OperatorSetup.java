package dev.tessera.operator.reconcile;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import dev.tessera.operator.api.TrainingJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.quarkiverse.operatorsdk.runtime.CRDUtils;
import io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService;
import io.quarkiverse.operatorsdk.runtime.QuarkusControllerConfiguration;
import io.quarkus.arc.ClientProxy;

/**
 * The JOSDK {@link Operator}, made as the Quarkus extension makes it (generated CRDs applied where
 * configured, every reconciler registered, a shutdown hook), with one difference: a reconciler whose
 * {@code @ControllerConfiguration} sets {@code triggerReconcilerOnAllEvents} gets it. The extension reads
 * that attribute at build time but drops it from the configuration it hands JOSDK, so without this the
 * reconciler would get no deletion events and a job being deleted would keep its finalizer for ever.
 */
@ApplicationScoped
public class OperatorSetup {
    private static final Logger LOG = Logger.getLogger(OperatorSetup.class);

    @Produces
    @ApplicationScoped
    Operator operator(QuarkusConfigurationService configuration, Instance<Reconciler<? extends HasMetadata>> reconcilers) {
        // watch events name their object by apiVersion and kind; a kind the client's mapping does not know
        // is read as a generic resource and then converted, every event read twice
        configuration.getKubernetesClient().getKubernetesSerialization().registerKubernetesResource(TrainingJob.class);
        var crds = configuration.getCRDGenerationInfo();
        if (crds.isApplyCRDs()) {
            for (String crd : crds.getGenerated()) {
                CRDUtils.applyCRD(configuration.getKubernetesClient(), crds, crd);
            }
        }
        Operator operator = new Operator(configuration);
        for (Reconciler<? extends HasMetadata> reconciler : reconcilers) {
            register(operator, configuration, reconciler);
        }
        Duration termination = configuration.reconciliationTerminationTimeout();
        if (!termination.isZero()) {
            operator.installShutdownHook(termination);
        }
        return operator;
    }

    private static <P extends HasMetadata> void register(Operator operator, QuarkusConfigurationService configuration,
            Reconciler<P> reconciler) {
        QuarkusControllerConfiguration<P> config = configuration.getConfigurationFor(reconciler);
        if (triggersOnAllEvents(reconciler)) {
            LOG.debugf("%s: reconciled on every event, deletions included", config.getName());
            config = new OnAllEvents<>(config);
            config.setParent(configuration);
        }
        operator.register(reconciler, config);
    }

    /** The extension's configuration as it is, with reconciliation on every event (the extension's own class, which it requires). */
    static final class OnAllEvents<P extends HasMetadata> extends QuarkusControllerConfiguration<P> {
        OnAllEvents(QuarkusControllerConfiguration<P> c) {
            // the interval as the extension's own producer passes it on
            super(c.getInformerConfig(), c.getName(), c.isGenerationAware(), c.getAssociatedReconcilerClassName(), c.getRetry(),
                    c.getRateLimiter(), c.maxReconciliationInterval().orElse(Duration.ofHours(10)), c.getFinalizerName(),
                    c.fieldManager(), c.getWorkflow(), c.getResourceTypeName(), c.getResourceClass());
        }

        @Override
        public boolean triggerReconcilerOnAllEvents() {
            return true;
        }
    }

    static boolean triggersOnAllEvents(Reconciler<?> reconciler) {
        for (Class<?> type = ClientProxy.unwrap(reconciler).getClass(); type != null; type = type.getSuperclass()) {
            var annotation = type.getAnnotation(io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration.class);
            if (annotation != null) {
                return annotation.triggerReconcilerOnAllEvents();
            }
        }
        return false;
    }
}
