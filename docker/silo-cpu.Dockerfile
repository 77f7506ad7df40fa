# Grid silo for CPU nodes (Orleans + ASP.NET Core, TorchSharp with libtorch-cpu).
# Build from the repository root:
#   docker build -f docker/silo-cpu.Dockerfile -t grid-silo-cpu .
# Run alone (a one-silo grid, localhost clustering; Kubernetes sets the cluster keys, see k8s/):
#   docker run -p 8080:8080 -p 30000:30000 -v $PWD/results:/results grid-silo-cpu
# Build and runtime images are both Ubuntu 24.04 ("noble"), whose libstdc++ has GLIBCXX_3.4.32, so the
# TorchSharp native repair of the build (build/torch) finds nothing to do.

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
# build/torch/TorchNativeRepair.targets compiles three small helpers in every build (among them the MKL dispatch shim): gcc and g++ are required.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc g++ libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# Restore from the project files alone, so that the package layer (libtorch is large) stays cached
# while only sources change. Every project the silo references must be listed here.
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/Abstractions/Abstractions.csproj src/Abstractions/
COPY src/Engine/Engine.csproj src/Engine/
COPY src/Analysis/Analysis.csproj src/Analysis/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Silo/Silo.csproj src/Silo/
RUN dotnet restore src/Silo/Silo.csproj -p:TorchBackend=cpu

COPY src/ src/
RUN dotnet publish src/Silo/Silo.csproj -c Release --no-restore -p:TorchBackend=cpu -o /app


FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime
# curl for the HEALTHCHECK.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /results /data \
    && chown 1654:1654 /results
WORKDIR /app
COPY --from=build /app ./

# Defaults of a silo in a container; the Kubernetes ConfigMap grid-config overrides them.
# Urls as well as ASPNETCORE_URLS: appsettings.json sets "Urls" to loopback, which wins over
# ASPNETCORE_URLS but not over a plain environment variable.
ENV ASPNETCORE_URLS=http://+:8080 \
    Urls=http://+:8080 \
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true \
    Grid__Device=cpu \
    Grid__ResultsRoot=/results \
    Grid__GatewayListenAddress=0.0.0.0 \
    GRID_FASHION_MNIST_DIR=/data/fashion-mnist

# 8080: /healthz and /metrics; 11111: silo-to-silo; 30000: client gateway.
EXPOSE 8080 11111 30000

# The non-root user of the .NET images (APP_UID), numeric so that runAsNonRoot can verify it.
USER 1654

HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1

ENTRYPOINT ["dotnet", "Grid.Silo.dll"]
