# Grid silo for NVIDIA GPU nodes (Orleans + ASP.NET Core, TorchSharp-cuda-linux with libtorch CUDA).
# Build from the repository root (TorchSharp-cuda-linux restores several GB from nuget.org):
#   docker build -f docker/silo-cuda.Dockerfile -t grid-silo-cuda .
# Run on a host with the NVIDIA container toolkit:
#   docker run --gpus all -p 8080:8080 -p 30000:30000 -v $PWD/results:/results grid-silo-cuda
# Build and runtime images are both Ubuntu 24.04 ("noble"), whose libstdc++ has GLIBCXX_3.4.32, so the
# TorchSharp native repair of the build (build/torch) finds nothing to do.

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
# build/torch/TorchNativeRepair.targets compiles three small helpers in every build (among them the MKL dispatch shim): gcc and g++ are required.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc g++ libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# Restore from the project files alone, so that the package layer (libtorch CUDA is very large) stays
# cached while only sources change. Every project the silo references must be listed here.
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/Abstractions/Abstractions.csproj src/Abstractions/
COPY src/Engine/Engine.csproj src/Engine/
COPY src/Analysis/Analysis.csproj src/Analysis/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Silo/Silo.csproj src/Silo/
# TorchBackend=cuda references TorchSharp-cuda-linux instead of libtorch-cpu-linux-x64 (src/Engine/Engine.csproj).
RUN dotnet restore src/Silo/Silo.csproj -p:TorchBackend=cuda

COPY src/ src/
RUN dotnet publish src/Silo/Silo.csproj -c Release --no-restore -p:TorchBackend=cuda -o /app


# The ASP.NET Core runtime, copied into the CUDA image below (same Ubuntu release, same native deps).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS aspnet


FROM nvidia/cuda:12.8.0-cudnn-runtime-ubuntu24.04 AS runtime
# What .NET needs on Ubuntu 24.04 (ICU is not: globalization is invariant), and curl for the HEALTHCHECK.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates curl libc6 libgcc-s1 libssl3t64 libstdc++6 tzdata zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1654 app \
    && useradd --uid 1654 --gid 1654 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && mkdir -p /results /data \
    && chown 1654:1654 /results
COPY --from=aspnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
    && dotnet --list-runtimes
WORKDIR /app
COPY --from=build /app ./

# Defaults of a silo in a container; the Kubernetes ConfigMap grid-config overrides them.
# Urls as well as ASPNETCORE_URLS: appsettings.json sets "Urls" to loopback, which wins over
# ASPNETCORE_URLS but not over a plain environment variable.
ENV DOTNET_ROOT=/usr/share/dotnet \
    ASPNETCORE_URLS=http://+:8080 \
    Urls=http://+:8080 \
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true \
    Grid__Device=cuda \
    Grid__ResultsRoot=/results \
    Grid__GatewayListenAddress=0.0.0.0 \
    GRID_FASHION_MNIST_DIR=/data/fashion-mnist

# 8080: /healthz and /metrics; 11111: silo-to-silo; 30000: client gateway.
EXPOSE 8080 11111 30000

# Same numeric non-root user as the .NET images (APP_UID), so that runAsNonRoot can verify it.
USER 1654

HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1

ENTRYPOINT ["dotnet", "Grid.Silo.dll"]
