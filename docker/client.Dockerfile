# The `grid` console: submits sweeps to a grid (`grid run SPEC --gateway host:port`), watches them,
# shows results. Build from the repository root:
#   docker build -f docker/client.Dockerfile -t grid-client .
#   docker run --rm -v $PWD/experiments:/experiments grid-client run /experiments/quickstart.yaml --gateway HOST:30000
# The client references the silo project (it can host an embedded silo), so it needs the ASP.NET Core
# runtime (aspnet image, not runtime) and carries the CPU libtorch.

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
# build/torch/TorchNativeRepair.targets compiles three small helpers in every build (among them the MKL dispatch shim): gcc and g++ are required.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc g++ libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# Restore from the project files alone, so that the package layer stays cached while only sources change.
# Every project the client references must be listed here.
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/Abstractions/Abstractions.csproj src/Abstractions/
COPY src/Engine/Engine.csproj src/Engine/
COPY src/Analysis/Analysis.csproj src/Analysis/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Silo/Silo.csproj src/Silo/
COPY src/Client/Client.csproj src/Client/
RUN dotnet restore src/Client/Client.csproj -p:TorchBackend=cpu

COPY src/ src/
RUN dotnet publish src/Client/Client.csproj -c Release --no-restore -p:TorchBackend=cpu -o /app


FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime
RUN mkdir -p /work /results \
    && chown 1654:1654 /work /results
WORKDIR /app
COPY --from=build /app ./

ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true \
    Grid__ResultsRoot=/results

# The non-root user of the .NET images (APP_UID), numeric so that runAsNonRoot can verify it.
USER 1654
WORKDIR /work

# A command-line tool that exits when done has nothing to probe.
HEALTHCHECK NONE

ENTRYPOINT ["dotnet", "/app/grid.dll"]
