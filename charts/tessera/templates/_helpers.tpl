{{/* Name of the chart, shortened to fit label values. */}}
{{- define "tessera.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Prefix of every object name: the release name, plus the chart name unless the release already carries it. */}}
{{- define "tessera.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Object name of one component: call with (dict "root" $ "component" "scheduler"). */}}
{{- define "tessera.componentName" -}}
{{- printf "%s-%s" (include "tessera.fullname" .root) .component -}}
{{- end -}}

{{/* Labels that select the pods of one component; never change them, Deployments cannot. */}}
{{- define "tessera.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tessera.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Labels of every object of one component. */}}
{{- define "tessera.labels" -}}
{{ include "tessera.selectorLabels" . }}
app.kubernetes.io/part-of: tessera
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Full image reference of one component: call with (dict "root" $ "image" .Values.operator.image). */}}
{{- define "tessera.image" -}}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if .root.Values.image.registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Pod-level security settings shared by the three Tessera components. */}}
{{- define "tessera.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurity.runAsUser }}
runAsGroup: {{ .Values.podSecurity.runAsGroup }}
fsGroup: {{ .Values.podSecurity.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level hardening; fixed on purpose, values cannot weaken it. */}}
{{- define "tessera.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Probes on the Quarkus health endpoints; startup gives a cold JVM time before liveness counts.
Call with (dict "https" bool): true for a service that serves HTTPS only (tls.enabled); the kubelet does not verify the certificate.
*/}}
{{- define "tessera.probes" -}}
{{- $scheme := ternary "HTTPS" "HTTP" (.https | default false) -}}
startupProbe:
  httpGet:
    path: /q/health/started
    port: http
    scheme: {{ $scheme }}
  periodSeconds: 5
  failureThreshold: 36
livenessProbe:
  httpGet:
    path: /q/health/live
    port: http
    scheme: {{ $scheme }}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: http
    scheme: {{ $scheme }}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end -}}

{{/* Soft spreading of replicas over nodes, used when the user set no affinity. */}}
{{- define "tessera.affinity" -}}
{{- if .affinity -}}
{{ toYaml .affinity }}
{{- else if gt (int .replicas) 1 -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "tessera.selectorLabels" . | nindent 12 }}
{{- end -}}
{{- end -}}

{{/* Pod-spec fields common to the three components: call with (dict "root" $ "component" "operator" "values" .Values.operator). */}}
{{- define "tessera.podScheduling" -}}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- with .values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with (include "tessera.affinity" (dict "root" .root "component" .component "affinity" .values.affinity "replicas" .values.replicas)) }}
affinity:
  {{- . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Secret with the database credentials the inventory service reads. */}}
{{- define "tessera.databaseSecretName" -}}
{{- if .Values.postgresql.enabled -}}
{{- .Values.postgresql.existingSecret | default (include "tessera.componentName" (dict "root" . "component" "postgresql")) -}}
{{- else -}}
{{- .Values.database.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "tessera.databaseUsernameKey" -}}
{{- if .Values.postgresql.enabled -}}username{{- else -}}{{ .Values.database.usernameKey }}{{- end -}}
{{- end -}}

{{- define "tessera.databasePasswordKey" -}}
{{- if .Values.postgresql.enabled -}}password{{- else -}}{{ .Values.database.passwordKey }}{{- end -}}
{{- end -}}

{{- define "tessera.databaseUrl" -}}
{{- if .Values.postgresql.enabled -}}
{{- printf "jdbc:postgresql://%s:5432/%s" (include "tessera.componentName" (dict "root" . "component" "postgresql")) .Values.postgresql.database -}}
{{- else -}}
{{- .Values.database.url -}}
{{- end -}}
{{- end -}}

{{/* PodDisruptionBudget for a component that runs more than one replica. */}}
{{- define "tessera.pdb" -}}
{{- if gt (int .values.replicas) 1 }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "tessera.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "tessera.labels" . | nindent 4 }}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      {{- include "tessera.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}

{{/* ServiceMonitor scraping /q/metrics of one component. */}}
{{- define "tessera.serviceMonitor" -}}
{{- if .root.Values.serviceMonitor.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "tessera.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "tessera.labels" . | nindent 4 }}
    {{- with .root.Values.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "tessera.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /q/metrics
      interval: {{ .root.Values.serviceMonitor.interval }}
      {{- if .https }}
      scheme: https
      tlsConfig:
        ca:
          secret:
            name: {{ include "tessera.tlsSecretName" .root }}
            key: ca.crt
        serverName: {{ printf "%s.%s.svc" (include "tessera.componentName" .) .root.Release.Namespace }}
      {{- end }}
{{- end }}
{{- end -}}

{{/* ServiceAccount of one component; only the operator's token is mounted, the services never call the Kubernetes API. */}}
{{- define "tessera.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "tessera.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "tessera.labels" . | nindent 4 }}
  {{- with .values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .automount }}
{{- end -}}

{{/* ClusterIP Service of one component on its HTTP port. */}}
{{- define "tessera.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "tessera.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "tessera.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "tessera.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .port }}
      targetPort: http
      protocol: TCP
      {{- if .https }}
      appProtocol: https
      {{- end }}
{{- end -}}

{{/* Ingress rule peers of one component's NetworkPolicy: the given components plus the metrics scrapers. */}}
{{- define "tessera.networkPolicy" -}}
{{- if .root.Values.networkPolicy.enabled }}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "tessera.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "tessera.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "tessera.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
  {{- $peers := list }}
  {{- range .from }}
  {{- $peers = append $peers (dict "podSelector" (dict "matchLabels" (fromYaml (include "tessera.selectorLabels" (dict "root" $.root "component" .))))) }}
  {{- end }}
  {{- $peers = concat $peers (.extraFrom | default list) $.root.Values.networkPolicy.metricsFrom }}
  {{- if $peers }}
  ingress:
    - ports:
        - port: http
          protocol: TCP
      from:
        {{- toYaml $peers | nindent 8 }}
  {{- else }}
  ingress: []
  {{- end }}
{{- end }}
{{- end -}}

{{/*
Password of the evaluation PostgreSQL: the value; on helm upgrade, the one the release's Secret already holds;
else one random password shared by every template of this render. helm template (and so a GitOps tool that
renders with it) sees no cluster and draws a new one each time, which is why GitOps setups set it.
*/}}
{{- define "tessera.postgresqlPassword" -}}
{{- if .Values.postgresql.password -}}
{{- .Values.postgresql.password -}}
{{- else -}}
{{- /* Helm hands every template the same values map, so the first template to ask decides for all. */ -}}
{{- if not (hasKey .Values.postgresql "generatedPassword") -}}
{{- $kept := "" -}}
{{- if .Release.IsUpgrade -}}
{{- $secret := lookup "v1" "Secret" .Release.Namespace (include "tessera.componentName" (dict "root" . "component" "postgresql")) -}}
{{- if and $secret $secret.data (hasKey $secret.data "password") -}}
{{- $kept = index $secret.data "password" | b64dec -}}
{{- end -}}
{{- end -}}
{{- $_ := set .Values.postgresql "generatedPassword" (default (randAlphaNum 24) $kept) -}}
{{- end -}}
{{- .Values.postgresql.generatedPassword -}}
{{- end -}}
{{- end -}}

{{/* Changes whenever the evaluation database password does, so the pods that read it restart together. */}}
{{- define "tessera.postgresqlPasswordChecksum" -}}
{{- if .Values.postgresql.existingSecret -}}
{{- .Values.postgresql.existingSecret | sha256sum -}}
{{- else -}}
{{- include "tessera.postgresqlPassword" . | sha256sum -}}
{{- end -}}
{{- end -}}
