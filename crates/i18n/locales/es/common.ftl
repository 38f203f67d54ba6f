# Lo que comparten todas las páginas: el diseño, las partes de los formularios, las
# fechas y la página de inicio.

site-name = Secure Access
layout-skip-to-content = Saltar al contenido principal
layout-demo-label = Aviso de demostración
layout-demo-notice = Este es un servicio de demostración. Use solo información inventada: los mensajes y los códigos se escriben en el archivo de salida, no se envían.
layout-maintenance-label = Mantenimiento programado
layout-home-title = Inicio de Secure Access
layout-your-account = Su cuenta
layout-sign-out = Cerrar sesión
layout-language-label = Idioma
layout-return-to-top = Volver arriba
layout-footer = Secure Access: una cuenta, verificada una vez, para las herramientas en línea. ¿Necesita ayuda? Llame a la mesa de ayuda al { $phone } ({ $hours }).

form-error-summary = Hay un problema
form-passkey-needs-javascript = Para usar una llave de acceso se necesita JavaScript, que está desactivado en este navegador. Sus otros métodos de inicio de sesión siguen funcionando.
form-passkey-unsupported = Este navegador no puede usar llaves de acceso. Sus otros métodos de inicio de sesión siguen funcionando.
form-continue = Continuar
form-go-home = Ir a la página de inicio

page-not-found-heading = No se encontró la página
page-not-found-text = No hay ninguna página en esta dirección. Revise la dirección o empiece de nuevo desde la página de inicio.

home-title = Bienvenido
home-heading = Una cuenta para sus herramientas en línea
home-intro = Cree una cuenta de Secure Access, protéjala con un segundo paso y úsela para iniciar sesión en las herramientas en línea que la aceptan.
home-sign-in = Iniciar sesión
home-create-account = Crear una cuenta
home-what-you-need = Lo que necesita
home-need-email = Una dirección de correo electrónico que pueda abrir ahora.
home-need-phone = Un teléfono con una aplicación de autenticación (recomendado) o un teléfono que pueda recibir mensajes de texto.

# Fechas, como en "2 de marzo de 2026".
date-long = { $day } de { $month } de { $year }
month-january = enero
month-february = febrero
month-march = marzo
month-april = abril
month-may = mayo
month-june = junio
month-july = julio
month-august = agosto
month-september = septiembre
month-october = octubre
month-november = noviembre
month-december = diciembre
