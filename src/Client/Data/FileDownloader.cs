using System.Globalization;
using System.Security.Cryptography;
using Spectre.Console;

namespace Grid.Client.Data;

/// <summary>
/// Streams one HTTP(S) download into a new file, computing its MD5 on the way and advancing a progress bar. A
/// connection that delivers nothing for <paramref name="idleTimeout"/>, a short body or an HTTP error fails with a
/// <see cref="DataFetchException"/> naming the address (the caller removes the partial file with its staging directory).
/// </summary>
public sealed class FileDownloader(HttpClient http, TimeSpan idleTimeout)
{
    private const int BufferBytes = 1 << 20;

    /// <returns>The MD5 of what was written, lowercase hex.</returns>
    public async Task<string> DownloadAsync(Uri address, string path, ProgressTask progress, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            idle.CancelAfter(idleTimeout);
            using var response = await http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, idle.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new DataFetchException($"{address}: HTTP {(int)response.StatusCode} {Reason(response)}");
            }

            long? length = response.Content.Headers.ContentLength;
            progress.Value = 0;
            progress.MaxValue = length is > 0 ? length.Value : 1;
            progress.IsIndeterminate = length is null;
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            await using var body = await response.Content.ReadAsStreamAsync(idle.Token);
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, useAsync: true);
            var buffer = new byte[BufferBytes];
            long total = 0;
            while (true)
            {
                idle.CancelAfter(idleTimeout);
                int read = await body.ReadAsync(buffer, idle.Token);
                if (read == 0)
                {
                    break;
                }

                md5.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                total += read;
                progress.Increment(read);
            }

            if (length is { } expected && total != expected)
            {
                throw new DataFetchException($"{address}: the connection closed after {total:N0} of {expected:N0} bytes");
            }

            if (length is null)
            {
                progress.MaxValue = Math.Max(1, total);
                progress.Value = progress.MaxValue;
                progress.IsIndeterminate = false;
            }

            return Convert.ToHexStringLower(md5.GetHashAndReset());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DataFetchException($"{address}: no data for {idleTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException error)
        {
            throw new DataFetchException($"{address}: {error.Message}", error);
        }
        catch (HttpIOException error)
        {
            throw new DataFetchException($"{address}: {error.Message}", error);
        }
        catch (IOException error)
        {
            throw new DataFetchException($"{path}: cannot write the download: {error.Message}", error);
        }
    }

    private static string Reason(HttpResponseMessage response) =>
        response.ReasonPhrase ?? (Enum.IsDefined(response.StatusCode) ? response.StatusCode.ToString() : "");
}
