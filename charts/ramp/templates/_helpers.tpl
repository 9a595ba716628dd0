{{/* Names, labels and shared pieces of the Ramp chart. */}}

{{- define "ramp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-ramp, or the release name when it already contains the chart name. */}}
{{- define "ramp.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ramp.controller.fullname" -}}{{ include "ramp.fullname" . }}-controller{{- end -}}
{{- define "ramp.webhook.fullname" -}}{{ include "ramp.fullname" . }}-webhook{{- end -}}
{{- define "ramp.webhook.tlsSecret" -}}
{{- if eq .Values.webhook.tls.mode "secret" -}}
{{- required "webhook.tls.secret.name is required with webhook.tls.mode=secret" .Values.webhook.tls.secret.name -}}
{{- else -}}
{{- include "ramp.webhook.fullname" . }}-tls
{{- end -}}
{{- end -}}

{{- define "ramp.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "ramp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ramp
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one component (controller, webhook). Never change: Deployments' selectors are immutable. */}}
{{- define "ramp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ramp.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "ramp.componentLabels" -}}
{{ include "ramp.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "ramp.controller.serviceAccountName" -}}
{{- if .Values.controller.serviceAccount.create -}}
{{- default (include "ramp.controller.fullname" .) .Values.controller.serviceAccount.name -}}
{{- else -}}
{{- required "controller.serviceAccount.name is required when controller.serviceAccount.create is false" .Values.controller.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "ramp.webhook.serviceAccountName" -}}
{{- if .Values.webhook.serviceAccount.create -}}
{{- default (include "ramp.webhook.fullname" .) .Values.webhook.serviceAccount.name -}}
{{- else -}}
{{- required "webhook.serviceAccount.name is required when webhook.serviceAccount.create is false" .Values.webhook.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The namespace the controller watches with controller.namespaced. */}}
{{- define "ramp.watchNamespace" -}}
{{- default .Release.Namespace .Values.controller.watchNamespace -}}
{{- end -}}

{{- define "ramp.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Command-line flags shared by `ramp controller` and `ramp reconcile --once` (Argo's names). */}}
{{- define "ramp.controller.flags" -}}
{{- $c := .Values.controller -}}
- {{ printf "--leader-elect=%t" $c.leaderElection.enabled | quote }}
{{- if $c.leaderElection.enabled }}
{{- with $c.leaderElection.leaseName }}
- {{ printf "--leader-election-lease-name=%s" . | quote }}
{{- end }}
- {{ printf "--leader-election-lease-duration=%s" $c.leaderElection.leaseDuration | quote }}
- {{ printf "--leader-election-renew-deadline=%s" $c.leaderElection.renewDeadline | quote }}
- {{ printf "--leader-election-retry-period=%s" $c.leaderElection.retryPeriod | quote }}
{{- end }}
{{- if $c.namespaced }}
- --namespaced
- {{ printf "--namespace=%s" (include "ramp.watchNamespace" .) | quote }}
{{- end }}
{{- with $c.instanceId }}
- {{ printf "--instance-id=%s" . | quote }}
{{- end }}
- {{ printf "--qps=%v" $c.qps | quote }}
- {{ printf "--burst=%d" (int $c.burst) | quote }}
- {{ printf "--rollout-threads=%d" (int $c.rolloutThreads) | quote }}
- {{ printf "--service-threads=%d" (int $c.serviceThreads) | quote }}
- {{ printf "--loglevel=%s" $c.logLevel | quote }}
- {{ printf "--logformat=%s" $c.logFormat | quote }}
{{- range $c.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end -}}

{{/* The controller's Lease: Argo's name, suffixed with the instance id, unless leaderElection.leaseName is set. */}}
{{- define "ramp.leaseName" -}}
{{- if .Values.controller.leaderElection.leaseName -}}
{{- .Values.controller.leaderElection.leaseName -}}
{{- else if .Values.controller.instanceId -}}
{{- printf "argo-rollouts-controller-lock-%s" .Values.controller.instanceId -}}
{{- else -}}
argo-rollouts-controller-lock
{{- end -}}
{{- end -}}

{{/* POD_NAMESPACE: the controller namespace (Lease, default watched namespace). */}}
{{- define "ramp.podNamespaceEnv" -}}
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- end -}}

{{/* Soft anti-affinity over nodes unless the user gave an affinity. */}}
{{- define "ramp.affinity" -}}
{{- if .affinity -}}
{{ toYaml .affinity }}
{{- else -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "ramp.selectorLabels" (dict "root" .root "component" .component) | nindent 12 }}
{{- end -}}
{{- end -}}

{{/* The webhooks' namespaceSelector: the user's, else the watched namespace (namespaced), else all but kube-system. */}}
{{- define "ramp.webhook.namespaceSelector" -}}
{{- if .Values.webhook.namespaceSelector -}}
{{ toYaml .Values.webhook.namespaceSelector }}
{{- else if .Values.controller.namespaced -}}
matchExpressions:
  - key: kubernetes.io/metadata.name
    operator: In
    values: [{{ include "ramp.watchNamespace" . | quote }}]
{{- else -}}
matchExpressions:
  - key: kubernetes.io/metadata.name
    operator: NotIn
    values: [kube-system]
{{- end -}}
{{- end -}}

{{/* Pod-level settings shared by every Ramp pod. */}}
{{- define "ramp.podCommon" -}}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end -}}
