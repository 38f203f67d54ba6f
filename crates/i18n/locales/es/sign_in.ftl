# Iniciar sesión: la contraseña, el segundo paso y una contraseña olvidada.

sign-in-title = Iniciar sesión
sign-in-username = Nombre de usuario
sign-in-password = Contraseña
sign-in-submit = Iniciar sesión
sign-in-passkey-heading = O inicie sesión con una llave de acceso
sign-in-passkey-text = Si agregó una llave de acceso a su cuenta, puede iniciar sesión solo con ella: sin nombre de usuario ni contraseña.
sign-in-passkey-button = Iniciar sesión con una llave de acceso
sign-in-forgot-password = ¿Olvidó su contraseña?
sign-in-new-here = ¿Es nuevo aquí?
sign-in-create-account = Crear una cuenta

second-factor-title = Confirme que es usted
second-factor-texted = Le enviamos un código por mensaje de texto. Vence en { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    }.
second-factor-passkey-heading = Llave de acceso o llave de seguridad
second-factor-passkey-text = Use su huella digital, su cara, el bloqueo de pantalla o una llave de seguridad. Un sitio web falso no puede engañarla.
second-factor-passkey-button = Usar su llave de acceso
second-factor-app-heading = Aplicación de autenticación
second-factor-app-label = Código de su aplicación de autenticación
second-factor-app-hint = El código de 6 dígitos que su aplicación muestra ahora
second-factor-sms-heading = Mensaje de texto
second-factor-sms-send = Envíenme un código por mensaje de texto
second-factor-sms-label = Código del mensaje de texto
second-factor-sms-hint = 6 dígitos; vence { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    } después de que lo enviamos
second-factor-backup-heading = Código de respaldo
second-factor-backup-label = Uno de sus códigos de respaldo
second-factor-backup-hint = 12 letras y números, como ABCD-EFGH-JKMN; cada uno funciona una sola vez
second-factor-none-work = No puedo usar ninguno de estos métodos de inicio de sesión

password-reset-title = Restablecer su contraseña
password-reset-username = Nombre de usuario
password-reset-code-label = Código del correo electrónico
password-reset-code-hint = 6 dígitos; vence { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    } después de que lo enviamos
password-reset-new-password = Contraseña nueva
password-reset-save = Guardar la contraseña nueva
password-reset-no-email = ¿No le llegó el correo?
password-reset-ask-again = Pida un código nuevo
password-reset-intro = Escriba su nombre de usuario y le enviaremos un código a la dirección de correo electrónico de su cuenta. Su segundo paso de inicio de sesión (aplicación de autenticación, teléfono o código de respaldo) sigue igual.
password-reset-email-me = Envíenme un código por correo electrónico
password-reset-back = Volver a iniciar sesión
password-reset-requested = Si ese nombre de usuario tiene una cuenta con una dirección de correo electrónico confirmada, le enviamos un código a esa dirección. Vence en { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    }. Revise su carpeta de correo no deseado si no le llega en unos minutos.
password-reset-password-hint = Al menos { $min } caracteres. Unas cuantas palabras sin relación entre sí forman una contraseña segura y fácil de recordar.
