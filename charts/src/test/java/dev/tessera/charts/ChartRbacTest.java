package dev.tessera.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The operator gets exactly the rights it uses; nobody else gets any. */
class ChartRbacTest {

    private static final String OPERATOR = RenderedChart.component("operator");

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void noRuleUsesAWildcardOrTouchesSecrets(ValueSet values) {
        RenderedChart chart = RenderedChart.of(values);
        List<PolicyRule> rules = allRules(chart);
        assertThat(rules).isNotEmpty();
        for (PolicyRule rule : rules) {
            Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs(), nullToEmpty(rule.getResourceNames()))
                    .flatMap(List::stream)
                    .forEach(word -> assertThat(word).as(rule.toString()).doesNotContain("*"));
            assertThat(rule.getNonResourceURLs()).as(rule.toString()).isNullOrEmpty();
            assertThat(rule.getResources()).as(rule.toString()).doesNotContain("secrets", "configmaps");
            assertThat(rule.getVerbs()).as(rule.toString()).doesNotContain("escalate", "bind", "impersonate", "deletecollection");
        }
    }

    @Test
    void theOperatorGetsExactlyTheVerbsItUses() {
        RenderedChart chart = RenderedChart.of(ValueSet.DEFAULTS);
        Set<String> granted = flatten(chart.one(ClusterRole.class, OPERATOR).getRules());
        Set<String> expected = new TreeSet<>();
        grant(expected, "tessera.dev", "trainingjobs", "get", "list", "watch", "patch", "update");
        grant(expected, "tessera.dev", "trainingjobs/status", "get", "patch", "update");
        grant(expected, "tessera.dev", "trainingjobs/finalizers", "update");
        for (String owned : List.of("pods", "services")) {
            grant(expected, "", owned, "create", "get", "list", "watch", "delete");
        }
        grant(expected, "", "nodes", "get", "list", "watch");
        grant(expected, "", "events", "create", "patch");
        grant(expected, "apiextensions.k8s.io", "customresourcedefinitions[trainingjobs.tessera.dev]", "get");
        assertThat(granted).containsExactlyInAnyOrderElementsOf(expected);

        Role leaderElection = chart.one(Role.class, OPERATOR + "-leader-election");
        assertThat(leaderElection.getMetadata().getNamespace()).isEqualTo(ChartFiles.NAMESPACE);
        Set<String> leases = new TreeSet<>();
        grant(leases, "coordination.k8s.io", "leases", "get", "create", "update", "patch");
        assertThat(flatten(leaderElection.getRules())).containsExactlyInAnyOrderElementsOf(leases);
    }

    @Test
    void onlyTheOperatorsServiceAccountIsBoundAndOnlyItMountsAToken() {
        RenderedChart chart = RenderedChart.of(ValueSet.EVALUATION_DATABASE);
        List<Subject> subjects = new ArrayList<>();
        chart.all(ClusterRoleBinding.class).forEach(b -> subjects.addAll(b.getSubjects()));
        chart.all(RoleBinding.class).forEach(b -> subjects.addAll(b.getSubjects()));
        assertThat(subjects).isNotEmpty().allSatisfy(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(OPERATOR);
            assertThat(s.getNamespace()).isEqualTo(ChartFiles.NAMESPACE);
        });
        assertThat(chart.one(ClusterRoleBinding.class, OPERATOR).getRoleRef().getName()).isEqualTo(OPERATOR);

        for (ServiceAccount account : chart.all(ServiceAccount.class)) {
            boolean isOperator = account.getMetadata().getName().equals(OPERATOR);
            assertThat(account.getAutomountServiceAccountToken()).as(account.getMetadata().getName()).isEqualTo(isOperator);
        }
        chart.podTemplates().forEach((workload, pod) -> {
            String account = pod.getSpec().getServiceAccountName();
            assertThat(chart.find(ServiceAccount.class, account)).as(workload + " runs under its own account").isPresent();
            assertThat(pod.getSpec().getAutomountServiceAccountToken()).as(workload)
                    .isEqualTo(workload.equals(OPERATOR));
        });
        assertThat(chart.one(Deployment.class, OPERATOR).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(OPERATOR);
    }

    @Test
    void rbacCanBeLeftToThePlatformTeam() {
        RenderedChart chart = RenderedChart.render(java.util.Optional.empty(), t -> t.set("rbac.create", false));
        assertThat(allRules(chart)).isEmpty();
        assertThat(chart.all(ClusterRoleBinding.class)).isEmpty();
        assertThat(chart.all(RoleBinding.class)).isEmpty();
    }

    private static List<PolicyRule> allRules(RenderedChart chart) {
        List<PolicyRule> rules = new ArrayList<>();
        chart.all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
        chart.all(Role.class).forEach(r -> rules.addAll(r.getRules()));
        return rules;
    }

    /** One "group/resource[name]:verb" string per granted combination, so rules can be compared as sets. */
    private static Set<String> flatten(List<PolicyRule> rules) {
        Set<String> out = new TreeSet<>();
        for (PolicyRule rule : rules) {
            List<String> names = nullToEmpty(rule.getResourceNames());
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    String target = names.isEmpty() ? resource : resource + names;
                    rule.getVerbs().forEach(verb -> out.add(group + "/" + target + ":" + verb));
                }
            }
        }
        return out;
    }

    private static void grant(Set<String> into, String group, String resource, String... verbs) {
        for (String verb : verbs) {
            into.add(group + "/" + resource + ":" + verb);
        }
    }

    private static List<String> nullToEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
